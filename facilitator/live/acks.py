"""The shape of every command's acknowledgement, so clients handle one format."""

from typing import Any


def ok(**data: Any) -> dict[str, Any]:
    return {"ok": True, **data}


def refused(code: str, message: str, **data: Any) -> dict[str, Any]:
    """`code` is for programs (stable, English); `message` is for the person."""
    return {"ok": False, "error": {"code": code, "message": str(message), **data}}
