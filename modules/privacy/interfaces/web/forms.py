"""The form that closes an account."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from modules.identity import api as identity


class CloseAccountForm(forms.Form):
    password = identity.password_field(
        label=_("Your password"), autocomplete="current-password"
    )
    otp = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("Only if two-factor sign-in is on."),
        required=False,
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )
