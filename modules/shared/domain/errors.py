"""Domain errors: raised by rules, translated into the one error shape at each door."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self


@dataclass(frozen=True, kw_only=True)
class FieldProblem:
    field: str
    code: str
    message: str


class DomainError(Exception):
    """Base class; `code` is the machine-readable name clients branch on."""

    code = "DOMAIN_ERROR"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        details: tuple[FieldProblem, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details


class ValidationError(DomainError):
    code = "VALIDATION_ERROR"

    @classmethod
    def for_field(cls, field: str, message: str, *, code: str = "invalid") -> Self:
        """The refusal of one field's value; `code` names the problem for clients."""
        problem = FieldProblem(field=field, code=code, message=message)
        return cls(message, details=(problem,))


class AuthenticationError(DomainError):
    code = "AUTHENTICATION_FAILED"


class AuthorizationError(DomainError):
    code = "PERMISSION_DENIED"


class NotFoundError(DomainError):
    code = "NOT_FOUND"


class ConflictError(DomainError):
    code = "CONFLICT"


class RateLimitedError(DomainError):
    code = "RATE_LIMITED"

    def __init__(
        self, message: str, *, retry_after_seconds: int, code: str | None = None
    ):
        super().__init__(message, code=code)
        self.retry_after_seconds = retry_after_seconds
