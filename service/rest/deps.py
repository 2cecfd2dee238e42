"""Shared pieces of the REST routes."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel

from ..runtime import Runtime

M = TypeVar("M", bound=BaseModel)


def runtime(request: Request) -> Runtime:
    return request.app.state.runtime


RuntimeDep = Annotated[Runtime, Depends(runtime)]


def with_id(model: type[M], ident: str, body: BaseModel | None = None) -> M:
    """The operation's model: the id from the path plus the fields the body set."""
    fields: dict[str, Any] = body.model_dump(exclude_unset=True) if body is not None else {}
    return model.model_validate({**fields, "id": ident})
