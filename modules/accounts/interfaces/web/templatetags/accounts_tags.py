"""Template helpers for money on the web pages.

`{% load accounts_tags %}` then `{{ amount|money }}` or
`{% balance amount account.is_liability %}`.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils.translation import get_language, gettext

from modules.shared.domain.money import Money

register = template.Library()

MINUS_SIGN = "\u2212"


@register.filter
def money(amount: Money | None) -> str:
    """The amount as the reader writes money ("1.234,50 €" in Spanish), with a real
    minus sign: easier to see than a hyphen, and read aloud as "minus"."""
    if amount is None:
        return ""
    text = abs(amount).format(get_language() or settings.LANGUAGE_CODE)
    return f"{MINUS_SIGN}{text}" if amount.is_negative() else text


@register.simple_tag
def balance(amount: Money, liability: Any = False) -> str:
    """A balance in words as well as digits: what is owed on a credit card or a loan
    says "owed", so the meaning never rests on a colour or a sign alone."""
    if not liability:
        return money(amount)
    if amount.is_negative():
        return gettext("%(amount)s in credit") % {"amount": money(-amount)}
    return gettext("%(amount)s owed") % {"amount": money(amount)}
