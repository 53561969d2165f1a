"""What can go wrong in sign-up and sign-in, in the user's words."""

from __future__ import annotations

from modules.shared.domain.errors import (
    AuthenticationError,
    AuthorizationError,
    ConflictError,
    FieldProblem,
    RateLimitedError,
    ValidationError,
)


class EmailAlreadyRegistered(ConflictError):
    code = "EMAIL_TAKEN"


class TermsNotAccepted(ValidationError):
    def __init__(self, message: str) -> None:
        super().__init__(
            message,
            details=(
                FieldProblem(field="accepted_terms", code="required", message=message),
            ),
        )


class InvalidCredentials(AuthenticationError):
    code = "INVALID_CREDENTIALS"


class EmailNotVerified(AuthorizationError):
    code = "EMAIL_NOT_VERIFIED"


class TooManyFailedLogins(RateLimitedError):
    code = "TOO_MANY_FAILED_LOGINS"


class InvalidLink(ValidationError):
    code = "INVALID_OR_EXPIRED_TOKEN"


class SecondFactorRequired(AuthenticationError):
    """The password was right; a code from the authenticator app is needed too."""

    code = "OTP_REQUIRED"


class WrongCode(ValidationError):
    code = "OTP_INVALID"


class WrongPassword(ValidationError):
    code = "INVALID_PASSWORD"


class SecondFactorAlreadyOn(ConflictError):
    code = "TOTP_ALREADY_ON"
