"""Import pages: upload a statement, map a CSV's columns, follow the reading, review
and confirm, undo. Views read a form, call one use case, then redirect."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from modules.accounts import api as accounts
from modules.imports.application.ports import RowChoice
from modules.imports.application.use_cases import (
    StartImport,
    confirm_import,
    map_import,
    start_import,
    undo_import,
)
from modules.imports.domain.dedupe import ALLOWED_ACTIONS, RowAction, RowStatus
from modules.imports.domain.imports import ImportStatus
from modules.imports.infrastructure import selectors
from modules.imports.infrastructure.jobs import unit_of_work
from modules.imports.infrastructure.models import (
    ACTION_LABELS,
    ImportProfile,
    StatementImport,
)
from modules.imports.infrastructure.profiles import profile_mapping, save_profile
from modules.imports.interfaces.web.forms import MappingForm, UploadForm
from modules.shared.domain.errors import DomainError
from modules.shared.interfaces.web.forms import add_domain_error
from modules.shared.interfaces.web.views import GET_OR_POST, signed_in
from modules.transactions import api as ledger

RECENT_IMPORTS = 10
REVIEW_ROWS = 500


def account_choices() -> list[tuple[str, str]]:
    rows = accounts.account_rows(include_archived=False)
    return [(str(row.id), f"{row.name} ({row.currency})") for row in rows]


def profile_choices() -> list[tuple[str, str]]:
    return [(str(p.id), p.name) for p in ImportProfile.objects.all()]


def category_choices() -> list[tuple[str, str]]:
    names = ledger.category_ids_by_name()
    return [(str(category_id), name) for name, category_id in sorted(names.items())]


@signed_in
@GET_OR_POST
def imports(request: HttpRequest) -> HttpResponse:
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        accounts=account_choices(),
        profiles=profile_choices(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        profile_id = UUID(data["profile"]) if data["profile"] else None
        upload = data["file"]
        try:
            import_id = start_import(
                uow=unit_of_work(),
                command=StartImport(
                    account_id=UUID(data["account"]),
                    file_name=upload.name or "",
                    content=upload.read(),
                    requested_by=request.user.pk,
                    mapping=profile_mapping(profile_id) if profile_id else None,
                    profile_id=profile_id,
                    source_account=data["source_account"],
                ),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("imports:detail", import_id=import_id)
    recent = StatementImport.objects.defer("content")[:RECENT_IMPORTS]
    return render(request, "imports/imports.html", {"form": form, "imports": recent})


def _import_or_404(import_id: UUID) -> StatementImport:
    found = StatementImport.objects.filter(id=import_id).first()
    if found is None:
        raise Http404
    return found


@require_GET
@signed_in
def detail(request: HttpRequest, import_id: UUID) -> HttpResponse:
    found = _import_or_404(import_id)
    context: dict[str, object] = {
        "import": found,
        "error": selectors.error_text(found, _),
        "skipped": selectors.skipped_lines(found, _),
        "working": found.status
        in {ImportStatus.PENDING, ImportStatus.PARSING, ImportStatus.RECORDING},
    }
    if found.status == ImportStatus.MAPPING:
        context |= _mapping_context(found)
    elif found.status in {
        ImportStatus.READY,
        ImportStatus.RECORDED,
        ImportStatus.UNDONE,
    }:
        context |= _review_context(found)
    return render(request, "imports/detail.html", context)


def _mapping_context(
    found: StatementImport, form: MappingForm | None = None
) -> dict[str, object]:
    sample = selectors.csv_sample(found)
    if form is None:
        guessed = next(iter(sample.date_formats), "")
        form = MappingForm(
            columns=sample.header,
            date_formats=sample.date_formats.get(guessed, []),
            initial={
                "separator": sample.separator,
                "skip_rows": sample.skip_rows,
                "date": guessed,
            },
        )
    return {"sample": sample, "form": form}


def _review_context(found: StatementImport) -> dict[str, object]:
    rows = selectors.preview_rows(found.id, REVIEW_ROWS)
    return {
        "summary": selectors.summary(found),
        "rows": [
            (
                row,
                row.money,
                [
                    (a.value, ACTION_LABELS[a])
                    for a in ALLOWED_ACTIONS[RowStatus(row.status)]
                ],
            )
            for row in rows
        ],
        "categories": category_choices(),
        "more_rows": found.rows.count() > len(rows),
    }


@require_POST
@signed_in
def mapping(request: HttpRequest, import_id: UUID) -> HttpResponse:
    found = _import_or_404(import_id)
    sample = selectors.csv_sample(found)
    form = MappingForm(request.POST, columns=sample.header, date_formats=[])
    if form.is_valid():
        try:
            chosen = form.to_mapping()
            profile_id = None
            if form.cleaned_data["save_as"]:
                profile_id = save_profile(
                    name=form.cleaned_data["save_as"], mapping=chosen
                ).id
            map_import(
                uow=unit_of_work(),
                import_id=import_id,
                mapping=chosen,
                profile_id=profile_id,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("imports:detail", import_id=import_id)
    context = {"import": found, "working": False, **_mapping_context(found, form)}
    return render(request, "imports/detail.html", context, status=400)


@require_POST
@signed_in
def confirm(request: HttpRequest, import_id: UUID) -> HttpResponse:
    found = _import_or_404(import_id)
    choices = {}
    for row in selectors.preview_rows(found.id, REVIEW_ROWS):
        action = request.POST.get(f"action-{row.position}")
        category = request.POST.get(f"category-{row.position}")
        choices[row.position] = RowChoice(
            action=RowAction(action)
            if action in RowAction._value2member_map_
            else None,
            category_id=UUID(category) if category else None,
        )
    try:
        confirm_import(uow=unit_of_work(), import_id=import_id, choices=choices)
    except (DomainError, ValueError):
        messages.error(
            request,
            _("This import could not be confirmed. Check the rows and try again."),
        )
    return redirect("imports:detail", import_id=import_id)


@require_POST
@signed_in
def undo(request: HttpRequest, import_id: UUID) -> HttpResponse:
    _import_or_404(import_id)
    try:
        undo_import(uow=unit_of_work(), import_id=import_id)
    except DomainError:
        messages.error(request, _("Only a recorded import can be undone."))
    else:
        messages.success(
            request, _("The import has been undone: its transactions are reversed.")
        )
    return redirect("imports:detail", import_id=import_id)
