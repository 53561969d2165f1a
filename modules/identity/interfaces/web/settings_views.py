"""The settings page and what it leads to: preferences, password, address,
signed-in devices, two-step sign-in and consents (ADR 0019)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from modules.identity.application import account_security, use_cases
from modules.identity.infrastructure import sign_ins
from modules.identity.infrastructure.auth import lockout_policy
from modules.identity.infrastructure.models import Consent, Profile, TotpDevice, User
from modules.identity.infrastructure.stores import to_member
from modules.identity.infrastructure.totp import qr_svg
from modules.identity.infrastructure.uow import unit_of_work
from modules.identity.interfaces.web.forms import (
    CodeForm,
    EmailChangeForm,
    LinkTokenForm,
    PasswordChangeForm,
    PreferencesForm,
)
from modules.identity.interfaces.web.middleware import SECOND_FACTOR_PASSED
from modules.identity.interfaces.web.views import (
    PENDING_SIGN_IN,
    domain_errors_on,
    is_submitted,
    sign_in,
)
from modules.shared.interfaces.web.throttling import limit_form_posts
from modules.shared.interfaces.web.views import (
    GET_OR_POST,
    link_token_page,
    private_page,
    remember_language,
    safe_next,
    signed_in,
)

PENDING_SECONDS = 5 * 60


def _me(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _settings_page(request: HttpRequest, **forms_given: forms.Form) -> HttpResponse:
    user = _me(request)
    profile = Profile.objects.get(user_id=user.id)
    context: dict[str, Any] = {
        "form": PreferencesForm(initial=_preferences_of(profile)),
        "password_form": PasswordChangeForm(email=user.email),
        "email_form": EmailChangeForm(),
        "code_form": CodeForm(),
        "devices": sign_ins.sign_ins_of(user),
        "current_key": sign_ins.key_of(request.session),
        "totp_on": TotpDevice.objects.filter(
            user_id=user.id, confirmed_at__isnull=False
        ).exists(),
        "consents": Consent.objects.filter(user_id=user.id)[:50],
    }
    context.update(forms_given)
    return render(request, "identity/settings.html", context)


def _preferences_of(profile: Profile) -> dict[str, object]:
    return {name: getattr(profile, name) for name in PreferencesForm.base_fields}


@signed_in
@GET_OR_POST
def settings_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _settings_page(request)
    profile = Profile.objects.get(user_id=request.user.id)
    form = PreferencesForm(request.POST, initial=_preferences_of(profile))
    if not form.is_valid():
        return _settings_page(request, form=form)
    changes = form.changes()
    use_cases.update_preferences(
        uow=unit_of_work(),
        command=use_cases.UpdatePreferences(
            member_id=request.user.id, tenant_id=request.user.tenant_id, **changes
        ),
    )
    return _settings_saved(request, language=str(changes.get("locale", "")))


def _settings_saved(request: HttpRequest, *, language: str) -> HttpResponse:
    """A new language takes effect at once, starting with this confirmation."""
    if language:
        translation.activate(language)
    messages.success(request, _("Your settings have been saved."))
    response = redirect("identity:settings")
    return remember_language(response, language) if language else response


# --- Password and address ----------------------------------------------------------
def _proof(password: str, field: str) -> use_cases.Proof:
    return use_cases.Proof(
        password=password, field=field, policy=lockout_policy(), surface="web"
    )


@signed_in
@require_POST
@limit_form_posts("password-change")
def password_change(request: HttpRequest) -> HttpResponse:
    """Every other device is signed out; this one stays signed in."""
    user = _me(request)
    form = PasswordChangeForm(request.POST, email=user.email)
    if form.is_valid():
        with domain_errors_on(form):
            old_key = str(sign_ins.key_of(request.session))
            use_cases.change_password(
                uow=unit_of_work(),
                member_id=user.id,
                proof=_proof(form.cleaned_data["current_password"], "current_password"),
                new_password=form.cleaned_data["new_password"],
            )
            user.refresh_from_db()
            update_session_auth_hash(request, user)
            sign_ins.carry_over(
                user=user, old_key=old_key, new_key=sign_ins.key_of(request.session)
            )
            sign_ins.end_other_sign_ins(user, keep_key=sign_ins.key_of(request.session))
            messages.success(
                request,
                _("Your password has been changed. Your other devices are signed out."),
            )
            return redirect("identity:settings")
    return _settings_page(request, password_form=form)


@signed_in
@require_POST
@limit_form_posts("email-change")
def email_change(request: HttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            account_security.request_email_change(
                uow=unit_of_work(),
                member=to_member(_me(request)),
                new_email=form.cleaned_data["new_email"],
                proof=_proof(form.cleaned_data["password"], "password"),
            )
            messages.info(
                request,
                _(
                    "We have sent a link to the new address. Your address changes "
                    "when you open it."
                ),
            )
            return redirect("identity:settings")
    return _settings_page(request, email_form=form)


def _link_page(
    request: HttpRequest, *, action: Any, template: str, done: str
) -> HttpResponse:
    """The landing page of a mailed link: the token travels in the fragment and
    comes back in a POST, so it never reaches a URL a server logs."""
    form = LinkTokenForm.of(request)
    if is_submitted(request, form):
        with domain_errors_on(form):
            action(uow=unit_of_work(), token=form.cleaned_data["token"])
            messages.success(request, done)
            return redirect("identity:login")
    return render(request, template, {"form": form})


@private_page
@GET_OR_POST
@limit_form_posts("email-change-link")
@link_token_page
def email_change_confirm(request: HttpRequest) -> HttpResponse:
    return _link_page(
        request,
        action=account_security.confirm_email_change,
        template="identity/email_change_confirm.html",
        done=_("Your new address is confirmed. Sign in with it from now on."),
    )


@private_page
@GET_OR_POST
@limit_form_posts("email-change-link")
@link_token_page
def email_change_revert(request: HttpRequest) -> HttpResponse:
    return _link_page(
        request,
        action=account_security.revert_email_change,
        template="identity/email_change_revert.html",
        done=_(
            "Your old address is back and every device is signed out. Your "
            "password no longer works: we have emailed you a link to choose a new one."
        ),
    )


# --- Signed-in devices ---------------------------------------------------------------
@signed_in
@require_POST
def end_device(request: HttpRequest, sign_in_id: UUID) -> HttpResponse:
    if sign_ins.end_sign_in(_me(request), sign_in_id):
        _audit_revoked(request, count=1)
        messages.success(request, _("That device is signed out."))
    return redirect("identity:settings")


@signed_in
@require_POST
def end_other_devices(request: HttpRequest) -> HttpResponse:
    count = sign_ins.end_other_sign_ins(
        _me(request), keep_key=sign_ins.key_of(request.session)
    )
    _audit_revoked(request, count=count)
    messages.success(request, _("Every other device is signed out."))
    return redirect("identity:settings")


def _audit_revoked(request: HttpRequest, *, count: int) -> None:
    user = _me(request)
    use_cases.record_sign_ins_ended(
        uow=unit_of_work(),
        member=to_member(user),
        count=count,
        surface="web",
    )


# --- Two-step sign-in ------------------------------------------------------------------
@signed_in
@GET_OR_POST
def totp_setup(request: HttpRequest) -> HttpResponse:
    """POST from the settings page starts; the page shows the QR code, the secret
    and asks for a first code."""
    user = _me(request)
    if request.method == "POST" and "code" not in request.POST:
        with domain_errors_on(form := CodeForm()):
            setup = account_security.start_totp(uow=unit_of_work(), member_id=user.id)
            request.session["_totp_uri"] = setup.uri
            return _setup_page(request, form=CodeForm(), uri=setup.uri)
        return _settings_page(request, code_form=form)
    uri = request.session.get("_totp_uri")
    if not uri:
        return redirect("identity:settings")
    form = CodeForm(request.POST or None)
    if is_submitted(request, form):
        with domain_errors_on(form):
            codes = account_security.confirm_totp(
                uow=unit_of_work(),
                member=to_member(user),
                code=form.cleaned_data["code"],
            )
            del request.session["_totp_uri"]
            return render(request, "identity/recovery_codes.html", {"codes": codes})
    return _setup_page(request, form=form, uri=uri)


def _setup_page(request: HttpRequest, *, form: CodeForm, uri: str) -> HttpResponse:
    secret = uri.split("secret=", 1)[1].split("&", 1)[0]
    context = {"form": form, "qr_svg": qr_svg(uri), "secret": secret}
    return render(request, "identity/totp_setup.html", context)


@signed_in
@require_POST
@limit_form_posts("second-factor")
def totp_off(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            account_security.turn_off_totp(
                uow=unit_of_work(),
                member=to_member(_me(request)),
                code=form.cleaned_data["code"],
                policy=lockout_policy(),
                surface="web",
            )
            messages.success(request, _("Two-step sign-in is off."))
            return redirect("identity:settings")
    return _settings_page(request, code_form=form)


@private_page
@GET_OR_POST
@limit_form_posts("second-factor")
def second_factor(request: HttpRequest) -> HttpResponse:
    """The second step: of a sign-in whose password was right, or of a signed-in
    staff member on their way to the admin."""
    member_id = _second_step_member(request)
    if member_id is None:
        return redirect("identity:login")
    if request.user.is_authenticated and (needs := _fresh_sign_in_needed(request)):
        return render(request, "identity/second_factor.html", {needs: True})
    form = CodeForm(request.POST or None)
    if is_submitted(request, form):
        with domain_errors_on(form):
            member = use_cases.confirm_second_factor(
                uow=unit_of_work(),
                member_id=member_id,
                code=form.cleaned_data["code"],
                policy=lockout_policy(),
                surface="web",
                signing_in=not request.user.is_authenticated,
            )
            return _passed(request, member)
    context = {"form": form, "next": safe_next(request)}
    return render(request, "identity/second_factor.html", context)


def _fresh_sign_in_needed(request: HttpRequest) -> str:
    """A signed-in staff member passes the second step here only with an app turned
    on before this session began: turning it on proves nothing more than the
    password did, so an app added since asks for a fresh sign-in with a code."""
    device = TotpDevice.objects.filter(
        user_id=request.user.pk, confirmed_at__isnull=False
    ).first()
    if device is None:
        return "needs_setup"
    started = datetime.fromtimestamp(
        float(request.session.get(sign_ins.STARTED_AT, 0)), tz=UTC
    )
    turned_on = device.confirmed_at
    return "needs_fresh_sign_in" if turned_on and turned_on >= started else ""


def _second_step_member(request: HttpRequest) -> UUID | None:
    if request.user.is_authenticated:
        return _me(request).id
    pending = request.session.get(PENDING_SIGN_IN) or {}
    if time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    return UUID(pending["member"])


def _passed(request: HttpRequest, member: Any) -> HttpResponse:
    if request.user.is_authenticated:
        request.session[SECOND_FACTOR_PASSED] = True
        return redirect(safe_next(request) or "site:dashboard")
    request.session.pop(PENDING_SIGN_IN, None)
    return sign_in(request, member, second_factor=True)
