"""Two-step sign-in, password change and consents against in-memory ports."""

from __future__ import annotations

from typing import Any

import pytest

from modules.identity.application import account_security, use_cases
from modules.identity.application.ports import AccountMail, AuditAction, ConsentKind
from modules.identity.domain import exceptions
from modules.identity.domain.lockout import FailedLogins
from modules.identity.domain.members import Preferences
from tests.unit.identity.test_use_cases import (
    POLICY,
    FakeUnitOfWork,
    registration,
)

PASSWORD = "pw-long-enough-1"


@pytest.fixture
def ana() -> tuple[FakeUnitOfWork, Any]:
    uow = FakeUnitOfWork()
    use_cases.register_member(uow=uow, command=registration())
    uow.verify("ana@example.com")
    return uow, uow.find_by_email("ana@example.com")


def sign_in(uow: FakeUnitOfWork, otp: str | None = None) -> Any:
    return use_cases.authenticate_member(
        uow=uow,
        email="ana@example.com",
        password=PASSWORD,
        policy=POLICY,
        surface="api",
        otp=otp,
    )


def test_a_sign_up_records_the_terms_and_a_marketing_opt_in() -> None:
    uow = FakeUnitOfWork()
    use_cases.register_member(
        uow=uow,
        command=registration(preferences=Preferences(marketing_consent=True)),
    )
    assert uow.consents == [(ConsentKind.TERMS, True), (ConsentKind.MARKETING, True)]


def test_opting_out_of_marketing_is_recorded_once(ana: Any) -> None:
    uow, member = ana
    for wanted in (True, True, False):
        use_cases.update_preferences(
            uow=uow,
            command=use_cases.UpdatePreferences(
                member_id=member.id,
                tenant_id=member.tenant_id,
                marketing_consent=wanted,
            ),
        )
    assert uow.consents[1:] == [
        (ConsentKind.MARKETING, True),
        (ConsentKind.MARKETING, False),
    ]


def test_with_two_step_on_a_password_alone_is_not_enough(ana: Any) -> None:
    uow, member = ana
    uow.second_factor.codes[member.id] = {"123456", "r-recovery"}
    with pytest.raises(exceptions.SecondFactorRequired):
        sign_in(uow)
    assert uow.failures == {}  # the password was right: nothing to count

    assert sign_in(uow, otp="123456").id == member.id
    with pytest.raises(exceptions.WrongCode):  # used once, refused the second time
        sign_in(uow, otp="123456")
    assert uow.failures["ana@example.com"].failures == 1


def test_a_recovery_code_signs_in_once_and_is_audited(ana: Any) -> None:
    uow, member = ana
    uow.second_factor.codes[member.id] = {"r-recovery"}
    sign_in(uow, otp="r-recovery")
    assert AuditAction.RECOVERY_CODE_USED in uow.audited


def test_wrong_codes_lock_the_address_like_wrong_passwords(ana: Any) -> None:
    uow, member = ana
    uow.second_factor.codes[member.id] = {"123456"}
    uow.failures["ana@example.com"] = FailedLogins(failures=POLICY.threshold - 1)
    with pytest.raises(exceptions.TooManyFailedLogins):
        sign_in(uow, otp="000000")
    with pytest.raises(exceptions.TooManyFailedLogins):  # even the right code now
        sign_in(uow, otp="123456")


def test_the_second_step_of_a_web_sign_in(ana: Any) -> None:
    uow, member = ana
    uow.second_factor.codes[member.id] = {"654321"}
    with pytest.raises(exceptions.WrongCode):
        use_cases.confirm_second_factor(
            uow=uow, member_id=member.id, code="1", policy=POLICY, surface="web"
        )
    signed = use_cases.confirm_second_factor(
        uow=uow, member_id=member.id, code="654321", policy=POLICY, surface="web"
    )
    assert signed.id == member.id
    assert uow.audited[-1] is AuditAction.LOGIN_SUCCEEDED


def test_turning_two_step_off_needs_a_good_code(ana: Any) -> None:
    uow, member = ana
    uow.second_factor.codes[member.id] = {"111111"}
    uow.second_factor.turn_off = lambda member_id: uow.second_factor.codes.pop(
        member_id
    )
    with pytest.raises(exceptions.WrongCode):
        account_security.turn_off_totp(
            uow=uow, member=member, code="222222", policy=POLICY, surface="api"
        )
    assert uow.second_factor.is_on(member.id)
    account_security.turn_off_totp(
        uow=uow, member=member, code="111111", policy=POLICY, surface="api"
    )
    assert not uow.second_factor.is_on(member.id)
    assert uow.audited[-1] is AuditAction.TOTP_DISABLED


def proof(password: str, **extra: Any) -> use_cases.Proof:
    return use_cases.Proof(
        password=password,
        field="current_password",
        policy=POLICY,
        surface="web",
        **extra,
    )


def test_a_password_change_needs_the_current_one_and_tells_the_person(
    ana: Any,
) -> None:
    uow, member = ana
    with pytest.raises(exceptions.WrongPassword):
        use_cases.change_password(
            uow=uow,
            member_id=member.id,
            proof=proof("wrong"),
            new_password="another-long-pw-2",
        )
    assert uow.passwords_set == []
    use_cases.change_password(
        uow=uow,
        member_id=member.id,
        proof=proof(PASSWORD),
        new_password="another-long-pw-2",
    )
    assert uow.passwords_set == [(member.id, "another-long-pw-2")]
    assert uow.sockets.closed == [(member.id, "password_changed")]
    assert uow.sent[-1] == (AccountMail.PASSWORD_CHANGED, member.id)


def test_wrong_current_passwords_lock_the_address_out_of_sign_in(ana: Any) -> None:
    """A stolen session guessing the password: each wrong guess counts towards
    the sign-in lockout, which then refuses the right password here and at sign-in."""
    uow, member = ana
    guesses = [
        lambda: use_cases.change_password(
            uow=uow, member_id=member.id, proof=proof("wrong-1"), new_password="x" * 12
        ),
        lambda: account_security.request_email_change(
            uow=uow, member=member, new_email="new@example.com", proof=proof("wrong-2")
        ),
    ]
    for attempt in range(POLICY.threshold - 1):
        with pytest.raises(exceptions.WrongPassword):
            guesses[attempt % 2]()
    with pytest.raises(exceptions.TooManyFailedLogins):
        guesses[0]()
    assert uow.audited.count(AuditAction.LOGIN_FAILED) == POLICY.threshold
    assert AuditAction.LOCKED_OUT in uow.audited
    with pytest.raises(exceptions.TooManyFailedLogins):
        use_cases.change_password(
            uow=uow, member_id=member.id, proof=proof(PASSWORD), new_password="x" * 12
        )
    with pytest.raises(exceptions.TooManyFailedLogins):
        sign_in(uow)
    assert uow.passwords_set == []


def test_a_wrong_code_counts_too_where_a_code_is_asked_for(ana: Any) -> None:
    uow, member = ana
    uow.second_factor.codes[member.id] = {"123456"}
    asked = {"needs_code": True}
    for _ in range(POLICY.threshold - 1):
        with pytest.raises(exceptions.WrongCode), uow:
            use_cases.check_it_is_them(
                uow=uow, member=member, proof=proof(PASSWORD, otp="000000", **asked)
            )
    for code in ("000000", "123456"):  # the lock, then the right code refused
        with pytest.raises(exceptions.TooManyFailedLogins), uow:
            use_cases.check_it_is_them(
                uow=uow, member=member, proof=proof(PASSWORD, otp=code, **asked)
            )
    assert uow.second_factor.codes[member.id] == {"123456"}  # refused before the check
    with pytest.raises(exceptions.TooManyFailedLogins):
        sign_in(uow, otp="123456")
