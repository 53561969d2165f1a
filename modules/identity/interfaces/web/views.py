"""Identity web pages. Each view reads a form, calls one use case, then redirects or
renders; the rules live in the use cases, the wording in the templates."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from modules.identity.application import use_cases
from modules.identity.domain.exceptions import (
    EmailNotVerified,
    InvalidLink,
    SecondFactorRequired,
    TooManyFailedLogins,
)
from modules.identity.domain.members import SUPPORTED_LOCALES, Member
from modules.identity.infrastructure.auth import lockout_policy
from modules.identity.infrastructure.models import User
from modules.identity.infrastructure.reset import queue_password_reset
from modules.identity.infrastructure.uow import unit_of_work
from modules.identity.interfaces.web.forms import (
    EmailOnlyForm,
    LinkTokenForm,
    LoginForm,
    NewPasswordForm,
    SignupForm,
    token_of_an_older_link,
)
from modules.identity.interfaces.web.middleware import SECOND_FACTOR_PASSED
from modules.shared.domain.errors import DomainError
from modules.shared.interfaces.web.throttling import limit_form_posts
from modules.shared.interfaces.web.views import (
    GET_OR_POST,
    link_token_page,
    private_page,
    remember_language,
    safe_next,
)

EMAIL_BACKEND = "modules.identity.infrastructure.auth.EmailBackend"


@contextmanager
def domain_errors_on(form: forms.Form) -> Iterator[None]:
    """Show a refusal from a use case as a form error, in the reader's language
    (a lockout says how long it lasts)."""
    try:
        yield
    except TooManyFailedLogins as error:
        form.add_error(None, locked_message(error))
    except DomainError as error:
        form.add_error(None, _(error.message))


def is_submitted(request: HttpRequest, form: forms.Form) -> bool:
    return request.method == "POST" and form.is_valid()


# --- Sign-up and verification ----------------------------------------------------
@GET_OR_POST
@limit_form_posts("signup")
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("site:dashboard")
    form = SignupForm(request.POST or None)
    if is_submitted(request, form):
        command = form.to_command()
        with domain_errors_on(form):
            use_cases.register_member(uow=unit_of_work(), command=command)
            response = redirect("identity:signup-done")
            return remember_language(response, command.preferences.locale)
    return render(request, "identity/signup.html", {"form": form})


@private_page
def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "identity/signup_done.html", {"form": EmailOnlyForm()})


@private_page
@GET_OR_POST
@link_token_page
def verify_email(request: HttpRequest) -> HttpResponse:
    """GET only shows a button: mail scanners that open links must not verify."""
    form = LinkTokenForm.of(request)
    if request.method == "GET":
        return render(request, "identity/verify_email.html", {"form": form})
    if form.is_valid():
        try:
            use_cases.verify_email(uow=unit_of_work(), token=form.cleaned_data["token"])
        except InvalidLink:
            pass
        else:
            messages.success(
                request, _("Your email address is confirmed. You can sign in now.")
            )
            return redirect("identity:login")
    return _invalid_link(request, kind="verify")


@private_page
@GET_OR_POST
@limit_form_posts("resend-verification")
def resend_verification(request: HttpRequest) -> HttpResponse:
    """The same answer for every address, so it reveals nobody's account."""
    form = EmailOnlyForm(request.POST or None)
    if is_submitted(request, form):
        use_cases.resend_verification(
            uow=unit_of_work(), email=form.cleaned_data["email"]
        )
        messages.info(
            request,
            _(
                "If that address is waiting for confirmation, we have sent a new "
                "link to it."
            ),
        )
        return redirect("identity:signup-done")
    return render(request, "identity/verify_email_resend.html", {"form": form})


def _invalid_link(request: HttpRequest, *, kind: str) -> HttpResponse:
    context = {"kind": kind, "form": EmailOnlyForm()}
    return render(request, "identity/invalid_link.html", context, status=400)


# --- Sign-in and sign-out --------------------------------------------------------
@GET_OR_POST
@limit_form_posts("login")
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(safe_next(request) or "site:dashboard")
    form = LoginForm(request.POST or None)
    unverified = False
    if is_submitted(request, form):
        try:
            member = use_cases.authenticate_member(
                uow=unit_of_work(),
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                policy=lockout_policy(),
                surface="web",
            )
        except SecondFactorRequired:
            return _ask_for_code(request, email=form.cleaned_data["email"])
        except EmailNotVerified as error:
            unverified = True
            form.add_error(None, _(error.message))
        except TooManyFailedLogins as error:
            form.add_error(None, locked_message(error))
        except DomainError as error:
            form.add_error(None, _(error.message))
        else:
            return sign_in(request, member)
    context = {"form": form, "next": safe_next(request), "unverified": unverified}
    return render(request, "identity/login.html", context)


PENDING_SIGN_IN = "_pending_sign_in"


def _ask_for_code(request: HttpRequest, *, email: str) -> HttpResponse:
    """The password was right: remember who, briefly, and ask for the code."""
    member_id = User.objects.values_list("id", flat=True).get(email=email)
    request.session[PENDING_SIGN_IN] = {"member": str(member_id), "at": time.time()}
    target = reverse("identity:second-factor")
    next_url = safe_next(request)
    return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)


def locked_message(error: TooManyFailedLogins) -> str:
    minutes = max(1, -(-error.retry_after_seconds // 60))
    wait = ngettext(
        "You can try again in %(minutes)d minute.",
        "You can try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    return f"{_(error.message)} {wait}"


def sign_in(
    request: HttpRequest, member: Member, *, second_factor: bool = False
) -> HttpResponse:
    """Start the session and switch to the language the person chose."""
    login(request, User.objects.get(id=member.id), backend=EMAIL_BACKEND)
    if second_factor:
        request.session[SECOND_FACTOR_PASSED] = True
    translation.activate(member.locale)
    messages.success(request, _("Welcome back! You are signed in."))
    response = redirect(safe_next(request) or "site:dashboard")
    return remember_language(response, member.locale)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """POST only, so a link or an image on another site cannot sign anyone out."""
    user = request.user
    if user.is_authenticated:
        use_cases.record_logout(
            uow=unit_of_work(),
            member_id=user.id,
            tenant_id=user.tenant_id,
            surface="web",
        )
        logout(request)
        messages.info(request, _("You have signed out."))
    return redirect("site:landing")


# --- Password reset ----------------------------------------------------------------
@private_page
@GET_OR_POST
@limit_form_posts("password-reset")
def password_reset(request: HttpRequest) -> HttpResponse:
    form = EmailOnlyForm(request.POST or None)
    if is_submitted(request, form):
        queue_password_reset(form.cleaned_data["email"])
        return redirect("identity:password-reset-done")
    return render(request, "identity/password_reset.html", {"form": form})


@private_page
def password_reset_done(request: HttpRequest) -> HttpResponse:
    return render(request, "identity/password_reset_done.html")


@private_page
@GET_OR_POST
@limit_form_posts("password-reset")
@link_token_page
def password_reset_confirm(request: HttpRequest) -> HttpResponse:
    """GET shows the form (its script fills the token in from the fragment); the
    POST checks the token before the new password."""
    if request.method == "GET":
        form = NewPasswordForm(email="", initial=token_of_an_older_link(request))
        return render(request, "identity/password_reset_confirm.html", {"form": form})
    try:
        member = use_cases.member_for_reset_token(
            uow=unit_of_work(), token=request.POST.get("token", "")
        )
    except InvalidLink:
        return _invalid_link(request, kind="reset")
    email = User.objects.values_list("email", flat=True).get(id=member.id)
    form = NewPasswordForm(request.POST, email=email)
    if form.is_valid():
        with domain_errors_on(form):
            use_cases.reset_password(
                uow=unit_of_work(),
                token=form.cleaned_data["token"],
                new_password=form.cleaned_data["new_password"],
            )
            messages.success(
                request,
                _("Your password has been changed. You can sign in with it now."),
            )
            return redirect("identity:login")
    return render(request, "identity/password_reset_confirm.html", {"form": form})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, remembered in the profile of a signed-in person so
    the next sign-in (and their emails) use it too."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in SUPPORTED_LOCALES:
        use_cases.update_preferences(
            uow=unit_of_work(),
            command=use_cases.UpdatePreferences(
                member_id=request.user.id,
                tenant_id=request.user.tenant_id,
                locale=language,
            ),
        )
    return response
