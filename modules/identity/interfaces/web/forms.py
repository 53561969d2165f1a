"""Web forms of the identity pages: they check input and build use-case commands."""

from __future__ import annotations

from typing import Any

from babel.core import UnknownLocaleError
from babel.numbers import get_currency_name
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info, gettext, to_locale
from django.utils.translation import gettext_lazy as _

from modules.identity.application.use_cases import Registration
from modules.identity.domain.members import (
    CURRENCY_CODES,
    TIMEZONES,
    Preferences,
    normalize_email,
)
from modules.identity.infrastructure.models import User
from modules.shared.domain.notifications import KIND_LABELS


def language_choices() -> list[tuple[str, str]]:
    """Each language in its own name, so a person can find theirs in any UI language."""
    return [
        (code, get_language_info(code)["name_local"].capitalize())
        for code, _name in settings.LANGUAGES
    ]


def currency_choices() -> list[tuple[str, str]]:
    """ISO codes with their names in the current language ("EUR - Euro")."""
    locale = to_locale(get_language() or settings.LANGUAGE_CODE)
    return [
        (code, f"{code} - {_currency_name(code, locale)}") for code in CURRENCY_CODES
    ]


def _currency_name(code: str, locale: str) -> str:
    try:
        return str(get_currency_name(code, locale=locale))
    except (UnknownLocaleError, ValueError):
        return code


def check_new_password(password: str, *, email: str) -> None:
    """Django's validators, with the address so a password like the email is refused."""
    password_validation.validate_password(password, user=User(email=email))


class EmailField(forms.EmailField):
    """An address as people type it, stored in the one spelling we compare."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Email address"))
        kwargs.setdefault("max_length", 254)
        attrs = {"autocomplete": "email", "spellcheck": "false"}
        kwargs.setdefault("widget", forms.EmailInput(attrs=attrs))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        return normalize_email(super().clean(value))


def password_field(*, label: str, autocomplete: str, **kwargs: Any) -> forms.CharField:
    widget = forms.PasswordInput(attrs={"autocomplete": autocomplete})
    return forms.CharField(
        label=label, strip=False, max_length=128, widget=widget, **kwargs
    )


class SignupForm(forms.Form):
    email = EmailField()
    password = password_field(
        label=_("Password"),
        autocomplete="new-password",
        help_text=_("At least 12 characters. A few unrelated words work well."),
    )
    accepted_terms = forms.BooleanField(
        label=_("I accept the terms of service and the privacy policy"),
        error_messages={"required": _("You must accept the terms to sign up.")},
    )
    locale = forms.ChoiceField(label=_("Language for emails and pages"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["locale"].choices = language_choices()
        self.fields["locale"].initial = get_language() or settings.LANGUAGE_CODE
        self.fields["accepted_terms"].help_text = format_html(
            gettext(
                'Read the <a href="{terms}">terms</a> and the <a href="{privacy}">'
                "privacy policy</a>."
            ),
            terms=reverse("site:terms"),
            privacy=reverse("site:privacy"),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("email") and data.get("password"):
            try:
                check_new_password(data["password"], email=data["email"])
            except ValidationError as error:
                self.add_error("password", error)
        return data

    def to_command(self) -> Registration:
        data = self.cleaned_data
        locale = data.get("locale") or get_language() or settings.LANGUAGE_CODE
        return Registration(
            email=data["email"],
            password=data["password"],
            accepted_terms=data["accepted_terms"],
            preferences=Preferences(locale=locale),
        )


class EmailOnlyForm(forms.Form):
    """Resend a verification link or ask for a password reset."""

    email = EmailField()


class LoginForm(forms.Form):
    email = EmailField()
    password = password_field(label=_("Password"), autocomplete="current-password")


class LinkTokenForm(forms.Form):
    """The token of a mailed link; the page's script copies it from the fragment."""

    token = forms.CharField(
        label=_("Code from the email"),
        max_length=1024,
        help_text=_(
            "It is filled in for you when you open the link in the email. If it "
            "is empty, paste the part of the link after “#token=”."
        ),
        widget=forms.TextInput(
            attrs={"data-token-from-fragment": "", "spellcheck": "false"}
        ),
    )

    @classmethod
    def of(cls, request: HttpRequest) -> LinkTokenForm:
        """The form of this request, posted or shown."""
        if request.method == "POST":
            return cls(request.POST)
        return cls(initial=token_of_an_older_link(request))


def token_of_an_older_link(request: HttpRequest) -> dict[str, str]:
    """A link mailed before the token moved to the fragment (`?token=`) still
    fills the form in: such an address has already been out."""
    return {"token": request.GET.get("token", "")[:1024]}


class NewPasswordForm(LinkTokenForm):
    """A new password, typed twice, checked against the owner's address."""

    new_password = password_field(
        label=_("New password"),
        autocomplete="new-password",
        help_text=_("At least 12 characters. A few unrelated words work well."),
    )
    new_password_again = password_field(
        label=_("New password, again"), autocomplete="new-password"
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, second = data.get("new_password"), data.get("new_password_again")
        if first and second and first != second:
            self.add_error(
                "new_password_again", gettext("The two passwords do not match.")
            )
        elif first:
            try:
                check_new_password(first, email=self.email)
            except ValidationError as error:
                self.add_error("new_password", error)
        return data


class PreferencesForm(forms.Form):
    locale = forms.ChoiceField(label=_("Language for emails and pages"))
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=[(name, name) for name in TIMEZONES],
        help_text=_("Dates and times are shown in this zone."),
    )
    base_currency = forms.ChoiceField(
        label=_("Base currency"),
        help_text=_("Totals and net worth are reported in this currency."),
    )
    notify_by_email = forms.BooleanField(
        label=_("Email me about activity on my account"), required=False
    )
    email_notifications = forms.MultipleChoiceField(
        label=_("Also email me when"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    marketing_consent = forms.BooleanField(
        label=_("Send me news and product updates"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["locale"].choices = language_choices()
        self.fields["base_currency"].choices = currency_choices()
        self.fields["email_notifications"].choices = [
            (kind.value, _(label)) for kind, label in KIND_LABELS.items()
        ]

    def changes(self) -> dict[str, object]:
        """Only what the person changed, so the audit trail names real changes."""
        changes = {name: self.cleaned_data[name] for name in self.changed_data}
        if "email_notifications" in changes:
            changes["email_notifications"] = sorted(set(changes["email_notifications"]))
        return changes


class PasswordChangeForm(forms.Form):
    """The current password, then a new one checked like any new password."""

    current_password = password_field(
        label=_("Current password"), autocomplete="current-password"
    )
    new_password = password_field(
        label=_("New password"),
        autocomplete="new-password",
        help_text=_("At least 12 characters. A few unrelated words work well."),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_new_password(self) -> str:
        password: str = self.cleaned_data["new_password"]
        check_new_password(password, email=self.email)
        return password


class EmailChangeForm(forms.Form):
    new_email = EmailField(label=_("New email address"))
    password = password_field(
        label=_("Current password"), autocomplete="current-password"
    )


class CodeForm(forms.Form):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_(
            "The 6-digit code your authenticator app shows, or one of your "
            "recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false"}
        ),
    )
