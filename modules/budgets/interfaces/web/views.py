"""Budget pages: the list with progress bars that follow spending live, setting a
budget, changing or archiving it, and one budget's past periods."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from modules.budgets.application.use_cases import (
    CreateBudget,
    UpdateBudget,
    budget_views,
    create_budget,
    past_figures,
    today,
    update_budget,
)
from modules.budgets.domain.budgets import Budget
from modules.budgets.domain.periods import PeriodKind
from modules.budgets.infrastructure.models import Budget as BudgetRow
from modules.budgets.infrastructure.stores import to_domain
from modules.budgets.infrastructure.uow import DjangoUnitOfWork, unit_of_work
from modules.budgets.interfaces.web.forms import EditBudgetForm, NewBudgetForm
from modules.shared.domain.errors import DomainError, NotFoundError
from modules.shared.interfaces.web.forms import add_domain_error
from modules.shared.interfaces.web.views import GET_OR_POST, signed_in

HISTORY_PERIODS = 24


def budget_or_404(budget_id: UUID, uow: DjangoUnitOfWork) -> Budget:
    """The signed-in person's budget; another person's is a 404."""
    budget = uow.budgets.get(budget_id)
    if budget is None:
        raise Http404
    return budget


@signed_in
@require_GET
def budget_list(request: HttpRequest) -> HttpResponse:
    """The same few queries for any number of budgets."""
    uow = unit_of_work()
    budgets = [to_domain(row) for row in BudgetRow.objects.all()]
    views = budget_views(budgets, ledger=uow.ledger, on=today(uow))
    context = {
        "active": [v for v in views if v.budget.archived_at is None],
        "archived": [v for v in views if v.budget.archived_at is not None],
    }
    return render(request, "budgets/budget_list.html", context)


@signed_in
@GET_OR_POST
def new_budget(request: HttpRequest) -> HttpResponse:
    uow = unit_of_work()
    categories = uow.ledger.expense_categories()
    form = NewBudgetForm(
        request.POST or None,
        categories=categories,
        base_currency=uow.owner().base_currency,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        category_id = UUID(data["category"])
        command = CreateBudget(
            category_id=category_id,
            group=categories[category_id].parent_id is None,
            period=PeriodKind(data["period"]),
            amount=data["amount"],
            name=data["name"],
            currency=data["currency"],
            rollover=data["rollover"],
            starts_on=data["starts_on"],
        )
        try:
            budget = create_budget(uow=uow, command=command)
        except DomainError as error:
            add_domain_error(form, error, aliases={"category_group": "category"})
        else:
            messages.success(request, _("Your budget has been set."))
            return redirect("budgets:detail", budget_id=budget.id)
    return render(request, "budgets/budget_form.html", {"form": form})


@signed_in
@require_GET
def budget_detail(request: HttpRequest, budget_id: UUID) -> HttpResponse:
    uow = unit_of_work()
    budget = budget_or_404(budget_id, uow)
    on = today(uow)
    [view] = budget_views([budget], ledger=uow.ledger, on=on)
    history, more = past_figures(
        budget, ledger=uow.ledger, on=on, before=None, limit=HISTORY_PERIODS
    )
    context = {"view": view, "history": history, "more": more}
    return render(request, "budgets/budget_detail.html", context)


@signed_in
@GET_OR_POST
def edit(request: HttpRequest, budget_id: UUID) -> HttpResponse:
    uow = unit_of_work()
    budget = budget_or_404(budget_id, uow)
    form = EditBudgetForm(request.POST or None, budget=budget)
    if request.method == "POST" and form.is_valid():
        try:
            update_budget(
                uow=uow, command=UpdateBudget(budget_id=budget.id, **form.changes())
            )
        except NotFoundError as error:
            raise Http404 from error
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The budget has been saved."))
            return redirect("budgets:detail", budget_id=budget.id)
    return render(request, "budgets/edit_form.html", {"form": form, "budget": budget})
