"""The service's operations: one function per operation per kind of Thing.

REST routes and WebSocket methods both call these with the same pydantic
models, so the two transports cannot drift apart.
"""
