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
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken
from rest_framework_simplejwt.utils import get_md5_hash_password

from modules.identity.infrastructure import sign_ins
from modules.identity.infrastructure.models import RevokedTokenFamily, SignIn, User

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
        return cls.for_family(user, uuid.uuid4().hex)

    @classmethod
    def for_family(cls, user: Any, family: str) -> SessionRefreshToken:
        """A token of the family `family`: a new one, or the sign-in that just
        changed the password carrying on under the new one (ADR 0019)."""
        token = super().for_user(user)
        token[FAMILY_CLAIM] = family
        return token

    def check_blacklist(self) -> None:
        """A rotated (or signed-out) refresh token presented again may be a stolen
        copy: the whole family goes, the legitimate holder signs in again."""
        try:
            super().check_blacklist()  # type: ignore[misc]
        except TokenError:
            # A token from before a password change is refused anyway; it must not
            # end the family that the device making the change carries on (ADR 0019).
            if _person_if_still_good(self.payload) is not None:
                revoke_family(self, reason="refresh_reused")
            raise


def revoke_family(token: RefreshToken, *, reason: str) -> None:
    family = token.get(FAMILY_CLAIM)
    user_id = token.get(api_settings.USER_ID_CLAIM)
    if family and User.objects.filter(id=user_id).exists():
        RevokedTokenFamily.objects.get_or_create(
            family=family, defaults={"user_id": user_id, "reason": reason}
        )
        SignIn.objects.filter(key=family).delete()


class SessionRefreshSerializer(TokenRefreshSerializer):
    """Rotation, refused once the sign-in is past its idle or absolute limit; each
    rotation notes the family's use (the one write it costs, at most every access
    token's lifetime)."""

    token_class = SessionRefreshToken

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        token = self.token_class(attrs["refresh"])
        family, now = str(token.get(FAMILY_CLAIM)), timezone.now()
        if not SignIn.objects.filter(key=family).exists():  # signed in before 0019
            request = self.context.get("request")
            sign_ins.record_sign_in(
                user=token.user, kind=SignIn.Kind.APP, key=family, request=request
            )
        elif not sign_ins.sign_in_alive(family, now=now):
            revoke_family(token, reason="expired")
            raise TokenError(_("Token has expired"))
        data: dict[str, str] = super().validate(attrs)
        sign_ins.touch(family, now=now)
        return data
