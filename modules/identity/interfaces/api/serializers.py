"""Input and output shapes of the identity API."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from modules.identity.domain.members import (
    CURRENCY_CODES,
    SUPPORTED_LOCALES,
    TIMEZONES,
    normalize_email,
)
from modules.identity.infrastructure.models import User
from modules.shared.domain.notifications import CHOOSABLE_KIND_VALUES
from modules.shared.interfaces.api.fields import BooleanField, CharField, UUIDField

CURRENCY_SET = frozenset(CURRENCY_CODES)
TIMEZONE_SET = frozenset(TIMEZONES)


def check_password_strength(password: str, *, email: str = "") -> str:
    try:
        password_validation.validate_password(password, user=User(email=email))
    except DjangoValidationError as error:
        raise serializers.ValidationError(list(error.messages)) from None
    return password


class PreferencesFields(serializers.Serializer):
    locale = serializers.ChoiceField(choices=SUPPORTED_LOCALES, required=False)
    timezone = CharField(
        required=False,
        max_length=64,
        help_text=_("An IANA time zone, e.g. Europe/Madrid."),
    )
    base_currency = CharField(
        required=False,
        min_length=3,
        max_length=3,
        help_text=_("An ISO 4217 code, e.g. EUR."),
    )

    def validate_timezone(self, value: str) -> str:
        if value not in TIMEZONE_SET:
            raise serializers.ValidationError(
                _("Unknown time zone."), code="invalid_choice"
            )
        return value

    def validate_base_currency(self, value: str) -> str:
        code = value.upper()
        if code not in CURRENCY_SET:
            raise serializers.ValidationError(
                _("Unknown currency code."), code="invalid_choice"
            )
        return code


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Sign up",
            value={
                "email": "ana@example.com",
                "password": "correct horse battery staple",
                "accepted_terms": True,
                "locale": "es",
                "timezone": "Europe/Madrid",
                "base_currency": "EUR",
            },
            request_only=True,
        )
    ]
)
class RegistrationInput(PreferencesFields):
    email = serializers.EmailField(max_length=254)
    password = CharField(write_only=True, trim_whitespace=False, max_length=128)
    accepted_terms = BooleanField()

    def validate_email(self, value: str) -> str:
        return normalize_email(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            check_password_strength(attrs["password"], email=attrs["email"])
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"password": error.detail}) from None
        return attrs


@extend_schema_serializer(
    examples=[OpenApiExample("Token from the email", value={"token": "eyJtIjoi..."})]
)
class TokenInput(serializers.Serializer):
    token = CharField(max_length=1024)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Sign in",
            value={
                "email": "ana@example.com",
                "password": "correct horse battery staple",
            },
            request_only=True,
        )
    ]
)
class SessionInput(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = CharField(write_only=True, trim_whitespace=False, max_length=128)
    otp = CharField(
        required=False,
        max_length=16,
        help_text=_(
            "One-time code; only asked for when two-factor sign-in is enabled."
        ),
    )


class SessionOutput(serializers.Serializer):
    access = CharField()
    refresh = CharField()
    access_expires_at = serializers.DateTimeField()


class RefreshInput(serializers.Serializer):
    refresh = CharField(max_length=2048)


class RefreshOutput(serializers.Serializer):
    access = CharField()
    refresh = CharField()


class PasswordResetInput(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmationInput(serializers.Serializer):
    token = CharField(max_length=1024)
    password = CharField(write_only=True, trim_whitespace=False, max_length=128)

    def validate_password(self, value: str) -> str:
        return check_password_strength(value)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Profile",
            value={
                "id": "6f1c2b9e-3a41-4c55-9d0b-1f7e2c3d4a5b",
                "email": "ana@example.com",
                "email_verified": True,
                "tenant": "0b3e6a52-8f0e-4a8e-9c57-2d9c1f5e7a10",
                "date_joined": "2026-11-22T10:00:00Z",
                "locale": "es",
                "timezone": "Europe/Madrid",
                "base_currency": "EUR",
                "notify_by_email": True,
                "email_notifications": ["account_overdrawn"],
                "marketing_consent": False,
            },
            response_only=True,
        )
    ]
)
class MeOutput(serializers.Serializer):
    id = UUIDField()
    email = serializers.EmailField()
    email_verified = BooleanField()
    tenant = UUIDField(source="tenant_id")
    date_joined = serializers.DateTimeField()
    locale = CharField(source="profile.locale")
    timezone = CharField(source="profile.timezone")
    base_currency = CharField(source="profile.base_currency")
    notify_by_email = BooleanField(source="profile.notify_by_email")
    email_notifications = serializers.ListField(
        child=serializers.ChoiceField(choices=CHOOSABLE_KIND_VALUES),
        source="profile.email_notifications",
        help_text="Kinds of notification also sent by email (when notify_by_email).",
    )
    marketing_consent = BooleanField(source="profile.marketing_consent")


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Switch to Spanish and opt out of email",
            value={"locale": "es", "notify_by_email": False},
            request_only=True,
        )
    ]
)
class MePatchInput(PreferencesFields):
    notify_by_email = BooleanField(required=False)
    email_notifications = serializers.ListField(
        child=serializers.ChoiceField(choices=CHOOSABLE_KIND_VALUES),
        required=False,
        allow_empty=True,
        help_text="The full list of kinds to email; an empty list emails none.",
    )

    def validate_email_notifications(self, value: list[str]) -> list[str]:
        return sorted(set(value))

    marketing_consent = BooleanField(required=False)


class RegistrationOutput(serializers.Serializer):
    id = UUIDField()
    email = serializers.EmailField()
    email_verified = BooleanField()


class SignInOutput(serializers.Serializer):
    id = UUIDField()
    kind = serializers.ChoiceField(
        choices=["web", "app"],
        help_text="web: a browser session; app: a sign-in of the app (its tokens).",
    )
    device = CharField(help_text="From the user agent, e.g. Firefox on Linux.")
    place = CharField(
        help_text="The network of the address: a /24 (IPv4) or /48 (IPv6) prefix."
    )
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(
        help_text="Kept to within a few minutes (web) or one access token (app)."
    )
    current = BooleanField(help_text="The sign-in making this request.")


class PasswordChangeInput(serializers.Serializer):
    current_password = CharField(write_only=True, trim_whitespace=False, max_length=128)
    new_password = CharField(
        write_only=True,
        trim_whitespace=False,
        min_length=12,
        max_length=128,
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        email = self.context["email"]
        try:
            check_password_strength(attrs["new_password"], email=email)
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"new_password": error.detail}) from None
        return attrs


class EmailChangeInput(serializers.Serializer):
    new_email = serializers.EmailField(max_length=254)
    password = CharField(write_only=True, trim_whitespace=False, max_length=128)


class CodeInput(serializers.Serializer):
    code = CharField(
        max_length=16,
        help_text="A 6-digit code from the authenticator app, or a recovery code.",
    )


class TotpSetupOutput(serializers.Serializer):
    secret = CharField(help_text="Base32, for typing into the app.")
    otpauth_uri = CharField()
    qr_svg = CharField(help_text="The otpauth URI as an SVG QR code.")


class RecoveryCodesOutput(serializers.Serializer):
    recovery_codes = serializers.ListField(
        child=CharField(),
        min_length=10,
        max_length=10,
        help_text="Each works once; shown only in this response.",
    )
