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
from urllib.parse import unquote_plus

# A query parameter, its name still percent-encoded as the client sent it.
QUERY_PARAMETER = re.compile(r"([?&;])([^=&;\s\"'?#]+)=([^&;\s\"'#]*)")
SECRET_NAMES = frozenset({"token", "access_token"})
REDACTED = "[redacted]"
FILTERED_LOGGERS = ("uvicorn.access", "uvicorn.error")


def redact(text: str) -> str:
    """`text` with the value of every token parameter replaced, however its name is spelled.

    The name is compared decoded, as the server reads it: `?%74oken=` is `?token=`.
    """

    def hide(match: re.Match[str]) -> str:
        if unquote_plus(match.group(2)).strip().lower() in SECRET_NAMES:
            return f"{match.group(1)}{match.group(2)}={REDACTED}"
        return match.group(0)

    return QUERY_PARAMETER.sub(hide, text)


class RedactTokens(logging.Filter):
    """Replace a token parameter's value in a record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and "=" in record.msg:
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _redacted(v) for k, v in record.args.items()}
        return True


def _redacted(value: Any) -> Any:
    return redact(value) if isinstance(value, str) and "=" in value else value


def install_redaction() -> None:
    """Add the filter to uvicorn's loggers once per process."""
    for name in FILTERED_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
