"""The notifications page: newest first, mark one or all read."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from modules.notifications.application import use_cases
from modules.notifications.infrastructure.models import Notification
from modules.notifications.infrastructure.texts import title_and_body
from modules.notifications.infrastructure.uow import unit_of_work
from modules.shared.domain.errors import NotFoundError
from modules.shared.interfaces.web.views import signed_in

PAGE_SIZE = 50


@require_GET
@signed_in
def notification_list(request: HttpRequest) -> HttpResponse:
    rows = list(Notification.objects.all()[:PAGE_SIZE])
    items = [(row, *title_and_body(row.kind, row.params)) for row in rows]
    return render(request, "notifications/list.html", {"items": items})


@require_POST
@signed_in
def mark_read(request: HttpRequest, notification_id: UUID) -> HttpResponse:
    try:
        use_cases.mark_read(
            uow=unit_of_work(), notification_id=notification_id, read=True
        )
    except NotFoundError:
        raise Http404 from None
    return redirect("notifications:list")


@require_POST
@signed_in
def mark_all_read(request: HttpRequest) -> HttpResponse:
    use_cases.mark_all_read(uow=unit_of_work())
    return redirect("notifications:list")
