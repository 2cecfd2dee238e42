"""mixdeck's HTTP/WebSocket service over the engine: `create_app(settings)` and the `mixdeck` command."""

from .app import create_app
from .settings import ServiceSettings

__all__ = ["ServiceSettings", "create_app"]
