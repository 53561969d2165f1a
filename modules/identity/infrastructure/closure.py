"""A closed account: its people can no longer sign in by any door, until the mailed
link reopens it (the privacy module owns the closure itself, ADR 0020)."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.hashers import make_password
from django.db import transaction
from rest_framework_simplejwt.token_blacklist.models import (
    BlacklistedToken,
    OutstandingToken,
)

from modules.identity.application.use_cases import Proof, check_it_is_them
from modules.identity.domain.exceptions import WrongCode, WrongPassword
from modules.identity.infrastructure.auth import lockout_policy
from modules.identity.infrastructure.models import Tenant, User
from modules.identity.infrastructure.stores import DjangoFailedLoginStore, to_member
from modules.identity.infrastructure.uow import unit_of_work


def it_is_them(*, member_id: UUID, password: str, otp: str | None) -> bool:
    """The check before closing an account: the password and, when two-step
    sign-in is on, a code. A wrong one counts towards the sign-in lockout, in a
    transaction of its own (so the count stays when the closure is refused), and a
    locked address raises `TooManyFailedLogins`."""
    user = User.objects.filter(id=member_id, is_active=True).first()
    if user is None:
        make_password(password)  # the same cost either way
        return False
    proof = Proof(
        password=password,
        field="password",
        policy=lockout_policy(),
        surface="closure",
        otp=otp,
        needs_code=True,
    )
    uow = unit_of_work()
    try:
        with uow:
            check_it_is_them(uow=uow, member=to_member(user), proof=proof)
    except (WrongPassword, WrongCode):
        return False
    return True


def suspend_tenant(tenant_id: UUID) -> list[UUID]:
    """Every person of the tenant is refused from now on, at every door: no usable
    password (so every access and refresh token and web session fails its password
    fingerprint, ADR 0014), inactive (their sockets close on commit), and the tenant
    inactive. Returns the people suspended."""
    suspended = []
    for user in User.objects.select_for_update().filter(tenant_id=tenant_id):
        user.set_unusable_password()
        user.is_active = False
        user.save(update_fields=["password", "is_active"])
        suspended.append(user.id)
    Tenant.objects.filter(id=tenant_id).update(is_active=False)
    outstanding = OutstandingToken.objects.filter(user_id__in=suspended).exclude(
        blacklistedtoken__isnull=False
    )
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding],
        ignore_conflicts=True,
    )
    return suspended


def reopen_tenant(tenant_id: UUID, *, member_id: UUID, new_password: str) -> None:
    """Undo `suspend_tenant`: the tenant and its people are active again, and the
    person who follows the link signs in with the password they choose now.

    The tenant's other people keep the unusable password `suspend_tenant` gave
    them, on purpose: the link proves one mailbox, not theirs. Being active again,
    each chooses a new password through "Forgot your password?" (a reset mail)."""
    with transaction.atomic():
        Tenant.objects.filter(id=tenant_id).update(is_active=True)
        User.objects.filter(tenant_id=tenant_id).update(is_active=True)
        user = User.objects.get(id=member_id, tenant_id=tenant_id)
        user.set_password(new_password)
        user.save(update_fields=["password"])


def address_of(member_id: UUID) -> tuple[str, str]:
    """Where and in which language to write to a person, even once suspended."""
    user = User.objects.select_related("profile").get(id=member_id)
    return user.email, user.profile.locale


def forget_sign_in_failures(tenant_id: UUID) -> None:
    """Failed sign-ins are kept by a keyed hash of the address, not by tenant."""
    failures = DjangoFailedLoginStore()
    for email in User.objects.filter(tenant_id=tenant_id).values_list(
        "email", flat=True
    ):
        failures.clear(email)


def tenant_model() -> type[Tenant]:
    return Tenant
