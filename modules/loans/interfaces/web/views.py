"""Loan pages: the list, taking out a loan, and one loan's page with its schedule,
its balance chart and the forms to pay, pay extra and change the rate. Views read a
form, call one use case, then redirect with a message."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from modules.accounts import api as accounts
from modules.loans.application import use_cases
from modules.loans.domain.schedule import ExtraEffect, Method
from modules.loans.infrastructure import selectors
from modules.loans.infrastructure.models import METHOD_LABELS
from modules.loans.infrastructure.uow import unit_of_work
from modules.loans.interfaces.web.charts import balance_chart
from modules.loans.interfaces.web.forms import (
    ExtraPaymentForm,
    LoanForm,
    PaymentForm,
    RateChangeForm,
    RecurringPaymentsForm,
)
from modules.shared.domain.errors import DomainError, NotFoundError
from modules.shared.domain.money import Money
from modules.shared.interfaces.web.forms import add_domain_error
from modules.shared.interfaces.web.views import GET_OR_POST, signed_in

FALLBACK_CURRENCY = "EUR"


def base_currency_of(request: HttpRequest) -> str:
    profile = getattr(request.user, "profile", None)
    return getattr(profile, "base_currency", "") or FALLBACK_CURRENCY


def loan_form(request: HttpRequest) -> LoanForm:
    """Paid from one of the active accounts people own, in the loan's currency."""
    owned = [v.row for v in accounts.active_accounts_summary()[0] if not v.is_liability]
    return LoanForm(
        request.POST or None,
        base_currency=base_currency_of(request),
        currencies={row.currency for row in owned},
        paying_accounts=[
            (str(row.id), f"{row.name} ({row.currency})") for row in owned
        ],
    )


def rate_text(rate: Decimal) -> str:
    """4.5 as the reader writes it ("4,5" in Spanish), without trailing zeros."""
    plain = (
        rate.quantize(Decimal(1)) if rate == rate.to_integral() else rate.normalize()
    )
    return formats.number_format(plain, use_l10n=True)


def loan_or_404(loan_id: UUID) -> selectors.LoanView:
    try:
        return selectors.loan_view(loan_id)
    except NotFoundError as error:
        raise Http404 from error


@signed_in
@require_GET
def loan_list(request: HttpRequest) -> HttpResponse:
    views = selectors.loan_views(selectors.loan_rows())
    return render(request, "loans/loan_list.html", {"loans": views})


@signed_in
@GET_OR_POST
def new_loan(request: HttpRequest) -> HttpResponse:
    form = loan_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        command = use_cases.CreateLoan(
            name=data["name"],
            currency=data["currency"],
            principal=data["principal"],
            annual_rate=data["annual_rate"],
            term_months=data["term_months"],
            first_payment_on=data["first_payment_on"],
            method=Method(data["method"]),
            paid_from_id=UUID(data["paid_from"]),
            interest_category_name=_("Interest"),
        )
        try:
            loan = use_cases.create_loan(uow=unit_of_work(), command=command)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Your loan has been added."))
            return redirect("loans:detail", loan_id=loan.id)
    return render(request, "loans/loan_form.html", {"form": form})


def _detail(
    request: HttpRequest,
    view: selectors.LoanView,
    *,
    status: int = 200,
    **bound: forms.Form,
) -> HttpResponse:
    loan, schedule = view.loan, view.schedule
    next_row = view.next_row
    today = timezone.localdate()
    zero = Money.zero(loan.currency)
    context: dict[str, Any] = {
        "view": view,
        "loan": loan,
        "schedule": schedule,
        "paid": len(loan.payments),
        "rate": rate_text(loan.terms.annual_rate),
        "method_label": METHOD_LABELS[loan.terms.method],
        "interest_paid": loan.interest_paid(),
        "interest_saved": loan.interest_saved(),
        "principal_total": sum((r.principal for r in schedule.rows), zero),
        "extra_total": sum((r.extra for r in schedule.rows), zero),
        "chart": balance_chart(view.schedule, paid=len(view.loan.payments)),
        "payment_form": bound.get("payment_form")
        or PaymentForm(initial={"date": next_row.date if next_row else today}),
        "extra_form": bound.get("extra_form")
        or ExtraPaymentForm(initial={"date": today}),
        "rate_form": bound.get("rate_form") or RateChangeForm(),
        "recurring_form": bound.get("recurring_form")
        or RecurringPaymentsForm(
            initial={"recurring_payments": loan.recurring_payments}
        ),
    }
    return render(request, "loans/loan_detail.html", context, status=status)


@signed_in
@require_GET
def loan_detail(request: HttpRequest, loan_id: UUID) -> HttpResponse:
    return _detail(request, loan_or_404(loan_id))


def _form_action(
    request: HttpRequest,
    loan_id: UUID,
    form_class: type[forms.Form],
    form_name: str,
    act: Callable[[UUID, dict[str, Any]], str],
) -> HttpResponse:
    """One of the loan page's forms: when valid, `act` runs its use case on the loan
    and returns what to tell the person; a refusal is shown on the form."""
    view = loan_or_404(loan_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            done = act(view.loan.id, form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect("loans:detail", loan_id=view.loan.id)
    return _detail(request, view, status=400, **{form_name: form})


@signed_in
@require_POST
def pay(request: HttpRequest, loan_id: UUID) -> HttpResponse:
    def act(loan: UUID, data: dict[str, Any]) -> str:
        payment = use_cases.record_payment(
            uow=unit_of_work(),
            command=use_cases.RecordPayment(
                loan_id=loan,
                on=data["date"],
                extra=data["extra"] or None,
                extra_effect=ExtraEffect(data["extra_effect"]),
            ),
        )
        return _("Payment %(number)s has been recorded.") % {"number": payment.number}

    return _form_action(request, loan_id, PaymentForm, "payment_form", act)


@signed_in
@require_POST
def pay_extra(request: HttpRequest, loan_id: UUID) -> HttpResponse:
    def act(loan: UUID, data: dict[str, Any]) -> str:
        use_cases.record_extra_payment(
            uow=unit_of_work(),
            command=use_cases.RecordExtraPayment(
                loan_id=loan,
                on=data["date"],
                amount=data["amount"],
                effect=ExtraEffect(data["effect"]),
            ),
        )
        return _("The extra payment has been recorded.")

    return _form_action(request, loan_id, ExtraPaymentForm, "extra_form", act)


@signed_in
@require_POST
def change_rate(request: HttpRequest, loan_id: UUID) -> HttpResponse:
    def act(loan: UUID, data: dict[str, Any]) -> str:
        use_cases.change_rate(
            uow=unit_of_work(),
            command=use_cases.ChangeRate(
                loan_id=loan, on=data["date"], annual_rate=data["annual_rate"]
            ),
        )
        return _("The new rate has been saved.")

    return _form_action(request, loan_id, RateChangeForm, "rate_form", act)


@signed_in
@require_POST
def recurring_payments(request: HttpRequest, loan_id: UUID) -> HttpResponse:
    def act(loan: UUID, data: dict[str, Any]) -> str:
        wanted = data["recurring_payments"]
        use_cases.update_loan(
            uow=unit_of_work(),
            command=use_cases.UpdateLoan(loan_id=loan, recurring_payments=wanted),
        )
        if wanted:
            return _("Payments are now recorded on their dates.")
        return _("Payments are no longer recorded for you.")

    return _form_action(request, loan_id, RecurringPaymentsForm, "recurring_form", act)
