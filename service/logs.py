"""Keep secrets out of the server's logs.

The WebSocket accepts its token as `?token=…` (browsers cannot set headers on a
WebSocket), and uvicorn logs request paths with their query strings, on
`uvicorn.access` for HTTP and `uvicorn.error` for WebSocket handshakes. A filter
on both loggers replaces the token's value before a record is written.
"""

from __future__ import annotations

import logging
import re
from typing import Any

TOKEN_IN_QUERY = re.compile(r"(?i)([?&](?:access_)?token=)[^&\s\"']*")
REDACTED = "[redacted]"
FILTERED_LOGGERS = ("uvicorn.access", "uvicorn.error")


def redact(text: str) -> str:
    return TOKEN_IN_QUERY.sub(lambda m: m.group(1) + REDACTED, text)


class RedactTokens(logging.Filter):
    """Replace `token=<value>` in a record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and "token=" in record.msg.lower():
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _redacted(v) for k, v in record.args.items()}
        return True


def _redacted(value: Any) -> Any:
    return redact(value) if isinstance(value, str) and "token=" in value.lower() else value


def install_redaction() -> None:
    """Add the filter to uvicorn's loggers once per process."""
    for name in FILTERED_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
