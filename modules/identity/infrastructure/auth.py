"""Django authentication by email, through the same lockout and audit as every door."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from modules.identity.application.use_cases import authenticate_member
from modules.identity.domain.exceptions import TooManyFailedLogins
from modules.identity.domain.lockout import LockoutPolicy
from modules.identity.infrastructure.models import User
from modules.identity.infrastructure.uow import unit_of_work
from modules.shared.domain.errors import DomainError


def lockout_policy() -> LockoutPolicy:
    return LockoutPolicy(
        threshold=settings.LOCKOUT_THRESHOLD, duration=settings.LOCKOUT_DURATION
    )


class EmailBackend(ModelBackend):
    """Used by the admin's sign-in form; the web and API call the use case directly."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        email = kwargs.get("email", username)
        if email is None or password is None:
            return None
        try:
            member = authenticate_member(
                uow=unit_of_work(),
                email=email,
                password=password,
                policy=lockout_policy(),
                surface="admin",
            )
        except TooManyFailedLogins:
            raise PermissionDenied from None
        except DomainError:
            return None
        return User.objects.get(id=member.id)
