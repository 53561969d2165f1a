"""Recovery codes are kept as an HMAC under a key of their own."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from django.utils import timezone

from modules.identity.infrastructure.totp import DjangoSecondFactor
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_rotating_the_secret_key_leaves_recovery_codes_working(settings: Any) -> None:
    settings.RECOVERY_CODE_KEY = "recovery-" + "k" * 50
    user = UserFactory()
    factor = DjangoSecondFactor()
    setup = factor.start(user.id, timezone.now())
    codes = factor.confirm(user.id, pyotp.TOTP(setup.secret).now(), timezone.now())
    assert codes

    settings.SECRET_KEY = "rotated-" + "s" * 50
    assert factor.check(user.id, codes[0], timezone.now()) == "recovery"
    assert factor.check(user.id, codes[0], timezone.now()) is None  # used once

    settings.RECOVERY_CODE_KEY = "another-" + "k" * 50
    assert factor.check(user.id, codes[1], timezone.now()) is None
