"""Rule pages: the list in order, the editor, a dry run over history and applying
a rule to history. "Create a rule from this transaction" prefills the editor."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from modules.imports.application.rules import apply_to_history
from modules.imports.application.rules import dry_run as rule_dry_run
from modules.imports.domain.rules import (
    Direction,
    Operator,
    Outcome,
    Rule,
    TextCondition,
    TextField,
)
from modules.imports.infrastructure.history import RulesUnitOfWork
from modules.imports.infrastructure.models import ImportRow, ImportRule
from modules.imports.infrastructure.rule_store import (
    delete_rule as remove_rule,
)
from modules.imports.infrastructure.rule_store import (
    rule_row,
    save_rule,
    to_domain,
)
from modules.imports.interfaces.web.forms import RuleForm
from modules.imports.interfaces.web.views import account_choices, category_choices
from modules.shared.domain.errors import DomainError
from modules.shared.interfaces.web.forms import add_domain_error
from modules.shared.interfaces.web.views import GET_OR_POST, signed_in


@require_GET
@signed_in
def rules(request: HttpRequest) -> HttpResponse:
    return render(request, "imports/rules.html", {"rules": ImportRule.objects.all()})


def rule_from_form(rule_id: UUID, data: dict[str, Any]) -> Rule:
    conditions = ()
    if data["text_field"] and data["value"]:
        conditions = (
            TextCondition(
                field=TextField(data["text_field"]),
                operator=Operator(data["operator"]),
                value=data["value"],
            ),
        )
    return Rule(
        id=rule_id,
        name=data["name"],
        position=data["position"] or 0,
        conditions=conditions,
        amount_min=Decimal(data["amount_min"]) if data["amount_min"] else None,
        amount_max=Decimal(data["amount_max"]) if data["amount_max"] else None,
        account_id=UUID(data["account"]) if data["account"] else None,
        direction=Direction(data["direction"]) if data["direction"] else None,
        outcome=Outcome(
            category_id=UUID(data["category"]) if data["category"] else None,
            payee=data["payee"],
            transfer_to=UUID(data["transfer_to"]) if data["transfer_to"] else None,
        ),
    )


def initial_from(row: ImportRule) -> dict[str, Any]:
    condition = row.conditions[0] if row.conditions else {}
    return {
        "name": row.name,
        "position": row.position,
        "text_field": condition.get("field", ""),
        "operator": condition.get("operator", Operator.CONTAINS),
        "value": condition.get("value", ""),
        "amount_min": row.amount_min,
        "amount_max": row.amount_max,
        "account": row.account_id or "",
        "direction": row.direction,
        "category": row.category_id or "",
        "payee": row.payee,
        "transfer_to": row.transfer_to or "",
    }


def initial_from_import_row(row_id: str) -> dict[str, Any]:
    """'Create a rule from this transaction': its payee, direction and category."""
    row = ImportRow.objects.filter(id=row_id).first() if row_id.isdigit() else None
    if row is None:
        return {"operator": Operator.CONTAINS, "position": 0}
    return {
        "name": row.payee or row.description[:80],
        "position": 0,
        "text_field": TextField.PAYEE if row.payee else TextField.DESCRIPTION,
        "operator": Operator.CONTAINS,
        "value": row.payee or row.description[:200],
        "direction": Direction.IN if row.amount_minor > 0 else Direction.OUT,
        "category": row.category_id or "",
    }


def _editor(
    request: HttpRequest, rule_id: UUID, initial: dict[str, Any], *, new: bool
) -> HttpResponse:
    form = RuleForm(
        request.POST or None,
        initial=initial,
        accounts=account_choices(),
        categories=category_choices(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_rule(rule_from_form(rule_id, form.cleaned_data))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The rule has been saved."))
            return redirect("imports:rules")
    return render(
        request,
        "imports/rule_form.html",
        {"form": form, "new": new, "rule_id": rule_id},
    )


@signed_in
@GET_OR_POST
def new_rule(request: HttpRequest) -> HttpResponse:
    initial = initial_from_import_row(request.GET.get("from_row", ""))
    return _editor(request, uuid.uuid4(), initial, new=True)


@signed_in
@GET_OR_POST
def edit_rule(request: HttpRequest, rule_id: UUID) -> HttpResponse:
    return _editor(request, rule_id, initial_from(rule_row(rule_id)), new=False)


@require_POST
@signed_in
def delete_rule(request: HttpRequest, rule_id: UUID) -> HttpResponse:
    remove_rule(rule_id)
    messages.success(request, _("The rule has been deleted."))
    return redirect("imports:rules")


@signed_in
@GET_OR_POST
def dry_run(request: HttpRequest, rule_id: UUID) -> HttpResponse:
    rule = to_domain(rule_row(rule_id))
    if request.method == "POST":
        count = apply_to_history(uow=RulesUnitOfWork(), rule=rule)
        messages.success(
            request,
            ngettext(
                "%(count)s transaction was corrected (reversed and recorded again).",
                "%(count)s transactions were corrected (reversed and recorded again).",
                count,
            )
            % {"count": count},
        )
        return redirect("imports:rules")
    found = rule_dry_run(uow=RulesUnitOfWork(), rule=rule)
    names = dict(category_choices())
    changes = [
        (change, names.get(str(change.outcome.category_id), "")) for change in found
    ]
    return render(request, "imports/dry_run.html", {"rule": rule, "changes": changes})
