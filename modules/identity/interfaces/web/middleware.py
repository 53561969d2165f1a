"""Web sessions end after a while unused or a fixed time after sign-in; staff open
the admin only after a second step (ADR 0019)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from modules.identity.infrastructure import sign_ins
from modules.identity.infrastructure.models import User

SECOND_FACTOR_PASSED = "_second_factor_passed"

Handler = Callable[[HttpRequest], HttpResponse]


class WebSignInMiddleware:
    """Enforce the idle and absolute limits of a web session and note its use, at
    most once per `SIGN_IN_TOUCH_INTERVAL` (one session save, one row update)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY in session:
            self._check(request)
        return self.get_response(request)

    @staticmethod
    def _check(request: HttpRequest) -> None:
        session = request.session
        now = datetime.now(tz=UTC)
        seen, started = session.get(sign_ins.SEEN_AT), session.get(sign_ins.STARTED_AT)
        if seen is None or started is None:
            if request.user.is_authenticated:  # signed in before devices were kept
                sign_ins.start_web_sign_in(request, request.user)  # type: ignore[arg-type]
            return
        idle, absolute = sign_ins.lifetimes(sign_ins.Kind.WEB)
        stamp = now.timestamp()
        if (
            stamp - seen > idle.total_seconds()
            or stamp - started > absolute.total_seconds()
        ):
            logout(request)
        elif stamp - seen > settings.SIGN_IN_TOUCH_INTERVAL.total_seconds():
            session[sign_ins.SEEN_AT] = stamp
            sign_ins.touch(str(sign_ins.key_of(session)), now=now)


class AdminSecondFactorMiddleware:
    """The admin refuses a staff session that has not passed two-step sign-in."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET" and request.path == reverse("admin:login"):
            # The admin's own form has no second step: sign in on ours.
            target = reverse("identity:login")
            next_url = request.GET.get("next") or reverse("admin:index")
            return redirect(f"{target}?{urlencode({'next': next_url})}")
        if self._blocked(request):
            target = reverse("identity:second-factor")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _blocked(request: HttpRequest) -> bool:
        admin = reverse("admin:index")
        if not request.path.startswith(admin):
            return False
        if request.path in (reverse("admin:login"), reverse("admin:logout")):
            return False
        user = request.user
        return (
            isinstance(user, User)
            and user.is_staff
            and not request.session.get(SECOND_FACTOR_PASSED)
        )
