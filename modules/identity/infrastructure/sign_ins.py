"""Signed-in devices: each web session and each app token family, with a device
name, an approximate place and when it was last used (ADR 0019).

The device name comes from the user agent by a few plain rules and the place is
the network prefix of the address (/24 for IPv4, /48 for IPv6): nothing is looked
up anywhere. `last_used_at` is written at most every `SIGN_IN_TOUCH_INTERVAL`, not
on every request. A sign-in made under an older password is already refused
(ADR 0014), so it is left out of the list by its password fingerprint.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.backends.base import SessionBase
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from rest_framework.throttling import BaseThrottle
from rest_framework_simplejwt.utils import get_md5_hash_password

from modules.identity.infrastructure.models import RevokedTokenFamily, SignIn, User
from modules.identity.infrastructure.session_store import digest, end_session

Kind = SignIn.Kind

_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
    ("curl/", "curl"),
    ("python", "Python"),
    ("okhttp", "Android app"),
    ("CFNetwork", "iOS app"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def describe_device(user_agent: str) -> str:
    """ "Firefox on Linux", from the first rule that matches each half."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or re.sub(r"[^\w./ -]", "", user_agent)[:40]


def approximate_place(address: str | None) -> str:
    """The network the address is in: 203.0.113.0/24, 2001:db8:1::/48."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def password_fingerprint(user: User) -> str:
    return get_md5_hash_password(user.password)


def lifetimes(kind: str) -> tuple[timedelta, timedelta]:
    """(idle timeout, absolute lifetime) of a kind of sign-in."""
    idle, absolute = settings.SIGN_IN_LIFETIMES[kind]
    return idle, absolute


def record_sign_in(
    *, user: User, kind: str, key: str, request: HttpRequest | Any
) -> SignIn:
    meta = getattr(request, "META", {})
    address = BaseThrottle().get_ident(request) if "REMOTE_ADDR" in meta else ""
    row, _ = SignIn.objects.update_or_create(
        key=key,
        defaults={
            "user": user,
            "kind": kind,
            "password_fingerprint": password_fingerprint(user),
            "device": describe_device(meta.get("HTTP_USER_AGENT", ""))[:120],
            "place": approximate_place(address),
            "last_used_at": timezone.now(),
        },
    )
    return row


def carry_over(*, user: User, old_key: str, new_key: str | None = None) -> None:
    """The sign-in that changed the password stays, under the new one."""
    SignIn.objects.filter(user=user, key=old_key).update(
        key=new_key or old_key, password_fingerprint=password_fingerprint(user)
    )


def alive(rows: Any, *, now: datetime) -> Any:
    """Rows that still work: not past their idle or absolute limit, family alive."""
    revoked = RevokedTokenFamily.objects.filter(family=OuterRef("key"))
    within = Q()
    for kind in Kind.values:
        idle, absolute = lifetimes(kind)
        within |= Q(
            kind=kind, last_used_at__gte=now - idle, created_at__gte=now - absolute
        )
    return rows.filter(within).exclude(Exists(revoked))


def sign_ins_of(user: User) -> QuerySet[SignIn]:
    """The person's devices that are signed in now, most recently used first."""
    rows = SignIn.objects.filter(
        user=user, password_fingerprint=password_fingerprint(user)
    )
    return alive(rows, now=timezone.now())  # type: ignore[no-any-return]


def sign_in_alive(key: str, *, now: datetime) -> bool:
    return alive(SignIn.objects.filter(key=key), now=now).exists()


def touch(key: str, *, now: datetime) -> None:
    SignIn.objects.filter(key=key).update(last_used_at=now)


def end_sign_in(user: User, sign_in_id: UUID) -> bool:
    """Sign one device out: its session is deleted or its token family revoked."""
    row = SignIn.objects.filter(user=user, id=sign_in_id).first()
    if row is None:
        return False
    _end(row)
    return True


def end_other_sign_ins(user: User, *, keep_key: str | None) -> int:
    rows = SignIn.objects.filter(user=user).exclude(key=keep_key or "")
    ended = 0
    for row in rows:
        _end(row)
        ended += 1
    return ended


def _end(row: SignIn) -> None:
    if row.kind == Kind.WEB:
        end_session(row.key)
    else:
        RevokedTokenFamily.objects.get_or_create(
            family=row.key, defaults={"user_id": row.user_id, "reason": "revoked"}
        )
    row.delete()


# --- Web sessions ----------------------------------------------------------------
STARTED_AT = "_signed_in_at"
SEEN_AT = "_seen_at"


def key_of(session: SessionBase) -> str | None:
    """What the web session's device row is kept under: its key's digest."""
    key = session.session_key
    return digest(key) if key else None


def start_web_sign_in(request: HttpRequest, user: User) -> None:
    session = request.session
    if session.session_key is None:
        session.save()
    now = timezone.now().timestamp()
    session[STARTED_AT] = session[SEEN_AT] = now
    record_sign_in(user=user, kind=Kind.WEB, key=str(key_of(session)), request=request)


@receiver(user_logged_in, dispatch_uid="identity.record_web_sign_in")
def _on_web_sign_in(sender: Any, request: HttpRequest, user: User, **_: Any) -> None:
    if request is not None and hasattr(request, "session"):
        start_web_sign_in(request, user)


@receiver(user_logged_out, dispatch_uid="identity.forget_web_sign_in")
def _on_web_sign_out(sender: Any, request: HttpRequest, **_: Any) -> None:
    session = getattr(request, "session", None)
    key = key_of(session) if session is not None else None
    if key:
        SignIn.objects.filter(key=key).delete()
