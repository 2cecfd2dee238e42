"""The one error shape of the API: an RFC 9457 problem object, on REST and inside JSON-RPC errors."""

from __future__ import annotations

from pydantic import Field

from .common import Reply


class ProblemField(Reply):
    """One field at fault."""

    field: str = Field(
        description="Where the fault is, as named in the request: 'volume', 'tween.duration', 'id', 'body'."
    )
    message: str = Field(description="What is wrong with it, as a sentence that does not repeat the field's name.")


class Problem(Reply):
    """An RFC 9457 problem (`application/problem+json`)."""

    type: str = Field("about:blank", description="Always 'about:blank': the status says what kind of problem it is.")
    title: str = Field(description="The status's name, e.g. 'Unprocessable Content'.")
    status: int = Field(description="The HTTP status.")
    detail: str = Field(
        description="A sentence for people; with fields at fault, each 'field: message' joined by '; '."
    )
    errors: list[ProblemField] = Field(default_factory=list, description="Each field at fault.")
    retry_after: int | None = Field(
        None, description="WebSocket only: seconds to wait before retrying (REST sends a Retry-After header)."
    )
