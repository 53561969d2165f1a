"""The "Your data" page: ask for an export, follow it, download it."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from modules.identity import api as identity
from modules.privacy.application.use_cases import request_export
from modules.privacy.domain.exports import ExportStatus
from modules.privacy.infrastructure.links import read_token
from modules.privacy.infrastructure.models import DataExport
from modules.privacy.infrastructure.tasks import export_root
from modules.privacy.infrastructure.uow import unit_of_work
from modules.privacy.interfaces.presenters import download_link
from modules.shared.application.tenancy import tenant_scope
from modules.shared.interfaces.web.views import private_page, signed_in

RECENT_EXPORTS = 5


@require_GET
@signed_in
def your_data(request: HttpRequest) -> HttpResponse:
    exports = [
        (export, download_link(export))
        for export in DataExport.objects.all()[:RECENT_EXPORTS]
    ]
    return render(request, "privacy/your_data.html", {"exports": exports})


@require_POST
@signed_in
def start_export(request: HttpRequest) -> HttpResponse:
    request_export(uow=unit_of_work(), requested_by=request.user.pk)
    return redirect("privacy:your-data")


@require_GET
@private_page
def download(request: HttpRequest) -> FileResponse:
    """The link alone opens the file (an app may hand it to a browser); it names
    one export of one tenant and stops working when the export expires."""
    found = read_token(request.GET.get("token", ""))
    if found is None:
        raise Http404
    export_id, tenant_id = found
    with tenant_scope(tenant_id):
        export = DataExport.objects.filter(
            id=export_id, status=ExportStatus.READY, expires_at__gt=timezone.now()
        ).first()
        if export is None:
            raise Http404
        identity.audit_export(
            identity.AuditAction.EXPORT_DOWNLOADED, actor_id=export.requested_by
        )
    response = FileResponse(
        (export_root() / export.file_name).open("rb"),
        as_attachment=True,
        filename=f"finance-export-{export.created_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["Referrer-Policy"] = "no-referrer"  # the link carries its token
    return response
