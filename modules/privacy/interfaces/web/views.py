"""The "Your data" page: export everything, or close the account; and the page
behind the mailed link that reopens a closed account."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from modules.identity import api as identity
from modules.privacy.application.closure import (
    CloseAccount,
    close_account,
    reopen_account,
)
from modules.privacy.application.use_cases import request_export
from modules.privacy.domain.exports import ExportStatus
from modules.privacy.infrastructure.closure import closure_unit_of_work
from modules.privacy.infrastructure.links import EXPORT_DOWNLOAD, REOPEN_ACCOUNT
from modules.privacy.infrastructure.models import DataExport
from modules.privacy.infrastructure.tasks import export_root
from modules.privacy.infrastructure.uow import unit_of_work
from modules.privacy.interfaces.presenters import download_token
from modules.privacy.interfaces.web.forms import CloseAccountForm
from modules.shared.application.tenancy import tenant_scope
from modules.shared.domain.errors import DomainError, ValidationError
from modules.shared.interfaces.web.forms import add_domain_error
from modules.shared.interfaces.web.retention import retention_rows
from modules.shared.interfaces.web.throttling import limit_form_posts
from modules.shared.interfaces.web.views import (
    GET_OR_POST,
    link_token_page,
    private_page,
    signed_in,
)

RECENT_EXPORTS = 5


@require_GET
@signed_in
def your_data(request: HttpRequest) -> HttpResponse:
    return _your_data_page(request, CloseAccountForm())


def _your_data_page(
    request: HttpRequest, close_form: CloseAccountForm, *, status: int = 200
) -> HttpResponse:
    exports = [
        (export, download_token(export))
        for export in DataExport.objects.all()[:RECENT_EXPORTS]
    ]
    context = {
        "exports": exports,
        "close_form": close_form,
        "retention": retention_rows(),
        "closure_grace_days": settings.ACCOUNT_CLOSURE_GRACE.days,
    }
    return render(request, "privacy/your_data.html", context, status=status)


@require_POST
@signed_in
def start_export(request: HttpRequest) -> HttpResponse:
    request_export(uow=unit_of_work(), requested_by=request.user.pk)
    return redirect("privacy:your-data")


@require_POST
@signed_in
@limit_form_posts("close-account")
def close(request: HttpRequest) -> HttpResponse:
    form = CloseAccountForm(request.POST)
    if form.is_valid():
        command = CloseAccount(
            member_id=request.user.pk,
            password=form.cleaned_data["password"],
            otp=form.cleaned_data["otp"] or None,
        )
        try:
            close_account(uow=closure_unit_of_work(), command=command)
        except DomainError as error:  # a wrong password, or a locked-out address
            add_domain_error(form, error)
        else:
            logout(request)
            return redirect("privacy:closed")
    return _your_data_page(request, form, status=400)


@require_GET
@private_page
def closed(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/closed.html")


@private_page
@GET_OR_POST
@limit_form_posts("reopen-account")
@link_token_page
def reopen(request: HttpRequest) -> HttpResponse:
    """GET only shows the form (a mail scanner that opens links reopens nothing);
    the POST carries the token and the new password."""
    if request.method == "GET":
        form = identity.NewPasswordForm(
            email="", initial=identity.token_of_an_older_link(request)
        )
        return render(request, "privacy/reopen.html", {"form": form})
    found = REOPEN_ACCOUNT.read(request.POST.get("token", ""))
    if found is None:
        return render(request, "privacy/reopen_invalid.html", status=400)
    closure_id, tenant_id = found
    with tenant_scope(tenant_id):
        form = identity.NewPasswordForm(request.POST, email="")
        if form.is_valid():
            try:
                reopen_account(
                    uow=closure_unit_of_work(),
                    closure_id=closure_id,
                    new_password=form.cleaned_data["new_password"],
                )
            except ValidationError:
                return render(request, "privacy/reopen_invalid.html", status=400)
            messages.success(
                request,
                _("Your account is open again. Sign in with your new password."),
            )
            return redirect("identity:login")
    return render(request, "privacy/reopen.html", {"form": form})


@private_page
@GET_OR_POST
@link_token_page
def download(request: HttpRequest) -> HttpResponse:
    """The token alone opens the file (an app may hand the link to a browser): GET
    shows a button, the POST carries the token. It names one export of one tenant
    and stops working when the export expires."""
    form = identity.LinkTokenForm.of(request)
    if request.method == "GET":
        return render(request, "privacy/download.html", {"form": form})
    found = EXPORT_DOWNLOAD.read(request.POST.get("token", ""))
    if found is None:
        raise Http404
    export_id, tenant_id = found
    with tenant_scope(tenant_id):
        export = DataExport.objects.filter(
            id=export_id, status=ExportStatus.READY, expires_at__gt=timezone.now()
        ).first()
        if export is None:
            raise Http404
        identity.audit_privacy(
            identity.AuditAction.EXPORT_DOWNLOADED, actor_id=export.requested_by
        )
    return FileResponse(
        (export_root() / export.file_name).open("rb"),
        as_attachment=True,
        filename=f"finance-export-{export.created_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
