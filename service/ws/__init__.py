"""WebSocket transport: JSON-RPC 2.0 over `/api/ws`, plus subscribed notifications."""
