"""Session tokens: the one check every door runs on a bearer token (ADR 0014).

A sign-in starts a token family: its refresh token and every rotation of it, and
each access token made from them, carry the family's id. A token is good only while
its person is active, its password fingerprint (simplejwt's revoke claim) is that of
the current password, and its family is not revoked. So a password change by any
path refuses all of a person's tokens, a sign-out refuses that sign-in's tokens, and
a rotated refresh token used again revokes its whole family. The API (through
`AUTH_TOKEN_CLASSES`) and the websocket both check tokens through these classes.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Exists
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken
from rest_framework_simplejwt.utils import get_md5_hash_password

from modules.identity.infrastructure.models import RevokedTokenFamily, User

FAMILY_CLAIM = "fam"


class _Revocable:
    payload: dict[str, Any]
    user: User | None = None

    def verify(self) -> None:
        super().verify()  # type: ignore[misc]
        user = _person_if_still_good(self.payload)
        if user is None:
            raise TokenError(_("Token has been revoked"))
        self.user = user  # one read serves authentication too


def _person_if_still_good(payload: dict[str, Any]) -> User | None:
    """The token's person, if active, with this password and this family alive:
    one query."""
    family = payload.get(FAMILY_CLAIM)
    if family is None:
        return None
    user = (
        User.objects.filter(id=payload.get(api_settings.USER_ID_CLAIM), is_active=True)
        .annotate(
            family_revoked=Exists(RevokedTokenFamily.objects.filter(family=family))
        )
        .first()
    )
    if user is None or user.family_revoked:  # type: ignore[attr-defined]
        return None
    fingerprint = get_md5_hash_password(user.password)
    return user if payload.get(api_settings.REVOKE_TOKEN_CLAIM) == fingerprint else None


class SessionAccessToken(_Revocable, AccessToken):
    pass


class SessionRefreshToken(_Revocable, RefreshToken):
    access_token_class = SessionAccessToken

    @classmethod
    def for_user(cls, user: Any) -> SessionRefreshToken:
        """The first token of a new family."""
        token = super().for_user(user)
        token[FAMILY_CLAIM] = uuid.uuid4().hex
        return token

    def check_blacklist(self) -> None:
        """A rotated (or signed-out) refresh token presented again may be a stolen
        copy: the whole family goes, the legitimate holder signs in again."""
        try:
            super().check_blacklist()  # type: ignore[misc]
        except TokenError:
            revoke_family(self, reason="refresh_reused")
            raise


def revoke_family(token: RefreshToken, *, reason: str) -> None:
    family = token.get(FAMILY_CLAIM)
    user_id = token.get(api_settings.USER_ID_CLAIM)
    if family and User.objects.filter(id=user_id).exists():
        RevokedTokenFamily.objects.get_or_create(
            family=family, defaults={"user_id": user_id, "reason": reason}
        )


class SessionRefreshSerializer(TokenRefreshSerializer):
    token_class = SessionRefreshToken
