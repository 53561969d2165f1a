"""Two-step sign-in with an authenticator app (RFC 6238, pyotp) and recovery codes
(ADR 0019)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from uuid import UUID

import pyotp
import segno
from django.conf import settings
from django.db import transaction

from modules.identity.application.ports import TotpSetup
from modules.identity.infrastructure.models import RecoveryCode, TotpDevice, User

ISSUER = "Finance"
RECOVERY_CODES = 10
# A code of the step before or after the current one is accepted: clocks drift.
DRIFT_STEPS = 1


def recovery_digest(code: str) -> str:
    """Recovery codes are long random strings, so a keyed hash is enough to keep;
    its key is `RECOVERY_CODE_KEY`, not `SECRET_KEY`, which may be rotated."""
    normal = code.replace("-", "").replace(" ", "").lower()
    key = settings.RECOVERY_CODE_KEY.encode()
    return hmac.new(key, normal.encode(), hashlib.sha256).hexdigest()


def new_recovery_code() -> str:
    raw = secrets.token_hex(5)
    return f"{raw[:5]}-{raw[5:]}"


def qr_svg(uri: str) -> str:
    """The set-up QR code as inline SVG markup: no image service, no script."""
    return str(segno.make(uri, error="m").svg_inline(scale=4, dark="#111827"))


class DjangoSecondFactor:
    def is_on(self, member_id: UUID) -> bool:
        return TotpDevice.objects.filter(
            user_id=member_id, confirmed_at__isnull=False
        ).exists()

    def start(self, member_id: UUID, now: datetime) -> TotpSetup:
        secret = pyotp.random_base32()
        TotpDevice.objects.update_or_create(
            user_id=member_id,
            defaults={"secret": secret, "created_at": now, "confirmed_at": None},
        )
        email = User.objects.values_list("email", flat=True).get(id=member_id)
        uri = pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)
        return TotpSetup(secret=secret, uri=uri)

    def confirm(self, member_id: UUID, code: str, now: datetime) -> list[str] | None:
        device = TotpDevice.objects.filter(
            user_id=member_id, confirmed_at__isnull=True
        ).first()
        if device is None or not _use_totp(device, code, now):
            return None
        TotpDevice.objects.filter(pk=device.pk).update(confirmed_at=now)
        codes = [new_recovery_code() for _ in range(RECOVERY_CODES)]
        RecoveryCode.objects.filter(user_id=member_id).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user_id=member_id, digest=recovery_digest(code))
            for code in codes
        )
        return codes

    def check(self, member_id: UUID, code: str, now: datetime) -> str | None:
        device = TotpDevice.objects.filter(
            user_id=member_id, confirmed_at__isnull=False
        ).first()
        if device is None:
            return None
        if _use_totp(device, code, now):
            return "totp"
        used = RecoveryCode.objects.filter(
            user_id=member_id, digest=recovery_digest(code), used_at__isnull=True
        ).update(used_at=now)
        return "recovery" if used else None

    def turn_off(self, member_id: UUID) -> None:
        TotpDevice.objects.filter(user_id=member_id).delete()
        RecoveryCode.objects.filter(user_id=member_id).delete()


def _use_totp(device: TotpDevice, code: str, now: datetime) -> bool:
    """A good code of a step later than the last one used; that step is then taken
    (a conditional update, so two racing sign-ins cannot both use it)."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(device.secret)
    current = totp.timecode(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if step <= device.last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            with transaction.atomic():
                taken = TotpDevice.objects.filter(
                    pk=device.pk, last_step__lt=step
                ).update(last_step=step)
            return bool(taken)
    return False
