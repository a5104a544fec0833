"""Errors a service raises for its caller to show to a person."""

from __future__ import annotations


class ServiceError(Exception):
    """An action was refused; `message` is written for the person who asked."""

    code = "refused"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(ServiceError):
    """A value a person typed cannot be used; `field` names where it was typed."""

    code = "invalid"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class NotFound(ServiceError):
    """The thing does not exist, or the person may not know that it does."""

    code = "not_found"
