"""Helpers every module's web views share: marking a page private or signed-in only,
the safe `?next=` of a request, remembering a language, and schema.org blocks."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import check_for_language
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

View = Callable[..., HttpResponse]
GET_OR_POST = require_http_methods(["GET", "POST"])

_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def private_page(view: View) -> View:
    """Keep a page out of search engines and shared caches: the middleware sends
    `X-Robots-Tag`, the base template adds the robots meta tag."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.private_page = True  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


def link_token_page(view: View) -> View:
    """The landing page of a mailed link. The link carries its token in the URL
    fragment, which no server, proxy or access log sees; the page's own script
    (`js/token-from-fragment.js`) copies it into the form, or the person pastes it,
    and the form POSTs it. Django's error reports leave the POST out."""
    return sensitive_post_parameters()(view)


def signed_in(view: View) -> View:
    """Private (noindex, never cached) and for signed-in people only."""
    return private_page(login_required(view))


def safe_next(request: HttpRequest) -> str:
    """`?next=` (or the posted `next`) only when it stays on this site, so no page
    is an open redirect; otherwise empty."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


def remember_language(response: HttpResponse, language: str) -> HttpResponse:
    """Set the cookie `LocaleMiddleware` reads, as Django's `set_language` does."""
    if check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


def json_ld(data: dict[str, Any]) -> SafeString:
    """A schema.org block, escaped like `json_script` so text cannot close the tag."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    escaped = text.translate(_JSON_SCRIPT_ESCAPES)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(escaped),  # noqa: S308 - <, > and & are escaped above
    )
