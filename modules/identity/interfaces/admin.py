"""The super-admin's view of people, tenants and the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from modules.identity.domain.members import normalize_email
from modules.identity.infrastructure import sign_ins
from modules.identity.infrastructure.models import (
    AuditEvent,
    Consent,
    EmailChange,
    Profile,
    SignIn,
    Tenant,
    TotpDevice,
    User,
)
from modules.shared.interfaces.admin import ReadOnlyAdminMixin, TenantScopedAdminMixin


class AdminUserCreationForm(UserCreationForm):
    """A person added by an admin gets their own tenant and profile, like a sign-up."""

    class Meta:
        model = User
        fields = ("email",)

    def save(self, commit: bool = True) -> User:
        user: User = super().save(commit=False)
        user.email = normalize_email(user.email)
        user.tenant = Tenant.objects.create()
        if commit:
            user.save()
            self._save_m2m()
        return user


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fields = (
        "locale",
        "timezone",
        "base_currency",
        "notify_by_email",
        "marketing_consent",
    )
    extra = 0


@admin.register(User)
class UserAdmin(TenantScopedAdminMixin, DjangoUserAdmin):
    ordering = ("-date_joined",)
    list_display = (
        "email",
        "email_verified",
        "is_active",
        "is_staff",
        "date_joined",
        "last_login",
    )
    list_filter = (
        "is_active",
        "is_staff",
        "is_superuser",
        ("email_verified_at", admin.EmptyFieldListFilter),
        "date_joined",
    )
    search_fields = ("email", "id", "tenant__id")
    readonly_fields = (
        "id",
        "tenant",
        "date_joined",
        "last_login",
        "email_verified_at",
        "accepted_terms_at",
    )
    list_select_related = ("tenant",)
    add_form = AdminUserCreationForm
    fieldsets = (
        (None, {"fields": ("id", "email", "password", "tenant")}),
        (
            _("Status"),
            {"fields": ("is_active", "email_verified_at", "accepted_terms_at")},
        ),
        (
            _("Permissions"),
            {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("date_joined", "last_login")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),
    )

    def get_inlines(self, request: HttpRequest, obj: User | None) -> tuple[type, ...]:
        return (ProfileInline,) if obj else ()

    def save_model(
        self, request: HttpRequest, obj: User, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            _ensure_profile(obj)

    @admin.display(
        boolean=True, description=_("email verified"), ordering="email_verified_at"
    )
    def email_verified(self, user: User) -> bool:
        return user.email_verified


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ("id", "owner", "member_count", "is_active", "created_at")
    list_filter = ("is_active", "created_at")
    search_fields = ("id", "users__email")
    readonly_fields = ("id", "created_at")
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Tenant]:
        return (
            super()
            .get_queryset(request)
            .annotate(members=Count("users"))
            .prefetch_related("users")
        )

    @admin.display(description=_("owner"))
    def owner(self, tenant: Tenant) -> str:
        first = next(iter(tenant.users.all()), None)
        return first.email if first else "—"

    @admin.display(description=_("members"), ordering="members")
    def member_count(self, tenant: Any) -> int:
        return int(tenant.members)


@admin.register(AuditEvent)
class AuditEventAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    """Read-only: the trail is evidence, so nobody edits or deletes it here."""

    list_display = ("occurred_at", "action", "actor_id", "tenant_id", "correlation_id")
    list_filter = ("action", "occurred_at")
    search_fields = ("actor_id", "tenant_id", "correlation_id")
    date_hierarchy = "occurred_at"
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SignIn)
class SignInAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Signed-in devices; an operator may sign one out (the device's session is
    deleted or its tokens revoked), never edit one."""

    list_display = ("user", "kind", "device", "place", "created_at", "last_used_at")
    list_filter = ("kind", "last_used_at")
    search_fields = ("user__email",)
    exclude = ("key", "password_fingerprint")
    list_select_related = ("user",)
    actions = ("sign_out",)

    @admin.action(description=_("Sign the selected devices out"))
    def sign_out(self, request: HttpRequest, queryset: QuerySet[SignIn]) -> None:
        for row in queryset.select_related("user"):
            sign_ins.end_sign_in(row.user, row.id)


@admin.register(TotpDevice)
class TotpDeviceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who has two-step sign-in on; the secret is never shown."""

    list_display = ("user", "confirmed_at", "created_at")
    list_filter = (("confirmed_at", admin.EmptyFieldListFilter),)
    search_fields = ("user__email",)
    fields = ("user", "created_at", "confirmed_at")
    list_select_related = ("user",)


@admin.register(EmailChange)
class EmailChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("user", "requested_at", "confirmed_at", "reverted_at")
    search_fields = ("user__email", "old_email", "new_email")
    date_hierarchy = "requested_at"
    list_select_related = ("user",)


@admin.register(Consent)
class ConsentAdmin(TenantScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The consent history is evidence: read only."""

    list_display = ("user", "kind", "version", "granted", "occurred_at")
    list_filter = ("kind", "granted")
    search_fields = ("user__email",)
    date_hierarchy = "occurred_at"
    list_select_related = ("user",)


def _ensure_profile(user: User) -> None:
    Profile.all_tenants.get_or_create(tenant_id=user.tenant_id, user=user)
