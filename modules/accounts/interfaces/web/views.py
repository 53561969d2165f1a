"""Account pages: the list with balances and totals, opening an account, one
account's statement with its running balance, adjusting a balance, and renaming or
archiving. Views read a form, call one use case, then redirect with a message."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from modules.accounts.application.use_cases import (
    OpenAccount,
    UpdateAccount,
    open_account,
    update_account,
)
from modules.accounts.domain.accounts import AccountKind
from modules.accounts.domain.rates import parse_rate
from modules.accounts.infrastructure import rates, selectors
from modules.accounts.infrastructure.stores import connected_ledger
from modules.accounts.infrastructure.uow import unit_of_work
from modules.accounts.interfaces.web.forms import (
    AdjustBalanceForm,
    EditAccountForm,
    ExchangeRateForm,
    OpenAccountForm,
    ValuationForm,
)
from modules.shared.application.tenancy import current_tenant_id
from modules.shared.domain.errors import DomainError, NotFoundError
from modules.shared.interfaces.web.forms import add_domain_error
from modules.shared.interfaces.web.views import GET_OR_POST, signed_in

STATEMENT_PAGE_SIZE = 50
RATES_SHOWN = 100
FALLBACK_CURRENCY = "EUR"


def account_or_404(account_id: UUID) -> selectors.AccountView:
    """The signed-in person's account with its balance; another person's is a 404."""
    row = selectors.account_rows().filter(id=account_id).first()
    if row is None:
        raise Http404
    return selectors.with_balances([row])[0]


def base_currency_of(request: HttpRequest) -> str:
    """The person's own profile, reached through their user row (no module import)."""
    profile = getattr(request.user, "profile", None)
    return getattr(profile, "base_currency", "") or FALLBACK_CURRENCY


@signed_in
@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    """Two queries for every account and balance; totals leave archived ones out."""
    views = selectors.with_balances(selectors.account_rows())
    active = [view for view in views if view.row.archived_at is None]
    totals = selectors.totals_by_currency(active)
    context = {
        "active": active,
        "archived": [view for view in views if view.row.archived_at is not None],
        "totals": totals,
        "in_base": rates.totals_in_base(
            totals, base_currency_of(request), rates.owner_today()
        ),
    }
    return render(request, "accounts/account_list.html", context)


@signed_in
@GET_OR_POST
def new_account(request: HttpRequest) -> HttpResponse:
    form = OpenAccountForm(
        request.POST or None, base_currency=base_currency_of(request)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        command = OpenAccount(
            tenant_id=current_tenant_id(),
            name=data["name"],
            kind=AccountKind(data["kind"]),
            currency=data["currency"],
            opened_on=timezone.localdate(),
            opening_balance=data["opening_balance"] or None,
            institution=data["institution"],
            notes=data["notes"],
        )
        try:
            account = open_account(uow=unit_of_work(), command=command)
        except DomainError as error:
            add_domain_error(form, error, aliases={"amount": "opening_balance"})
        else:
            messages.success(request, _("Your account has been opened."))
            return redirect("accounts:detail", account_id=account.id)
    return render(request, "accounts/account_form.html", {"form": form})


@signed_in
@require_GET
def account_detail(request: HttpRequest, account_id: UUID) -> HttpResponse:
    """A constant number of queries whatever the number of lines (see statements)."""
    view = account_or_404(account_id)
    statement = connected_ledger().statement(
        view.row.id,
        before=request.GET.get("before"),
        after=request.GET.get("after"),
        page_size=STATEMENT_PAGE_SIZE,
        currency=view.row.currency,
        liability=view.is_liability,
    )
    names = {row.id: row.name for row in selectors.account_rows()}
    lines = [(line, names.get(line.other_account_id, "")) for line in statement.lines]
    context = {
        "account": view,
        "statement": statement,
        "lines": lines,
        "valued": AccountKind(view.row.kind).has_market_value,
    }
    return render(request, "accounts/account_detail.html", context)


@signed_in
@GET_OR_POST
def adjust(request: HttpRequest, account_id: UUID) -> HttpResponse:
    """The bank's figure wins: the ledger records the difference as an adjustment."""
    view = account_or_404(account_id)
    form = AdjustBalanceForm(
        request.POST or None,
        initial={"date": timezone.localdate()},
        liability=view.is_liability,
    )
    if request.method == "POST" and form.is_valid():
        try:
            connected_ledger().adjust_balance(
                account_id=view.row.id,
                balance=form.cleaned_data["balance"],
                on=form.cleaned_data["date"],
            )
        except NotFoundError as error:
            raise Http404 from error
        except DomainError as error:
            add_domain_error(form, error, aliases={"amount": "balance"})
        else:
            messages.success(request, _("The balance has been adjusted."))
            return redirect("accounts:detail", account_id=view.row.id)
    return render(request, "accounts/adjust_form.html", {"form": form, "account": view})


@signed_in
@GET_OR_POST
def value(request: HttpRequest, account_id: UUID) -> HttpResponse:
    """A property, vehicle or investment's market value: the ledger records the
    change as a revaluation (against unrealised gains), dated on the valuation."""
    view = account_or_404(account_id)
    if not AccountKind(view.row.kind).has_market_value:
        raise Http404
    form = ValuationForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            connected_ledger().record_valuation(
                account_id=view.row.id,
                value=form.cleaned_data["value"],
                on=form.cleaned_data["date"],
            )
        except DomainError as error:
            add_domain_error(form, error, aliases={"amount": "value"})
        else:
            messages.success(request, _("The new value has been recorded."))
            return redirect("accounts:detail", account_id=view.row.id)
    return render(request, "accounts/value_form.html", {"form": form, "account": view})


@signed_in
@GET_OR_POST
def edit(request: HttpRequest, account_id: UUID) -> HttpResponse:
    view = account_or_404(account_id)
    form = EditAccountForm(request.POST or None, account=view.row)
    if request.method == "POST" and form.is_valid():
        try:
            update_account(
                uow=unit_of_work(),
                command=UpdateAccount(account_id=view.row.id, **form.changes()),
            )
        except NotFoundError as error:
            raise Http404 from error
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The account has been saved."))
            return redirect("accounts:detail", account_id=view.row.id)
    return render(request, "accounts/edit_form.html", {"form": form, "account": view})


@signed_in
@GET_OR_POST
def exchange_rates(request: HttpRequest) -> HttpResponse:
    """The person's own rates, newest first, and a form to add one. Published
    reference rates (loaded by an admin) apply too; a person's rate wins on its day."""
    base_currency = base_currency_of(request)
    form = ExchangeRateForm(
        request.POST or None,
        initial={"date": timezone.localdate(), "quote": base_currency},
        base_currency=base_currency,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rates.add_rate(
                base=data["base"],
                quote=data["quote"],
                day=data["date"],
                rate=parse_rate(data["rate"]),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The exchange rate has been saved."))
            return redirect("accounts:exchange-rates")
    context = {
        "form": form,
        "rates": rates.person_rates()[:RATES_SHOWN],
        "base_currency": base_currency,
    }
    return render(request, "accounts/exchange_rates.html", context)
