"""Recurring pages: rules and their upcoming dates, a rule's forms, bills, and the
cash-flow forecast. Views read a form, call one use case, then redirect."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from modules.accounts import api as accounts
from modules.recurring.application import use_cases
from modules.recurring.domain.bills import BillState
from modules.recurring.domain.rules import Rule
from modules.recurring.domain.schedules import LAST_DAY, Frequency
from modules.recurring.infrastructure import selectors
from modules.recurring.infrastructure.uow import unit_of_work
from modules.recurring.interfaces.web.chart import line_chart
from modules.recurring.interfaces.web.forms import (
    WEEKDAYS,
    EditRuleForm,
    ForecastForm,
    RuleForm,
)
from modules.shared.application.commands import UNCHANGED
from modules.shared.domain.errors import DomainError, NotFoundError
from modules.shared.domain.money import Money
from modules.shared.interfaces.web.forms import add_domain_error
from modules.shared.interfaces.web.views import GET_OR_POST, signed_in
from modules.transactions import api as ledger

UPCOMING_DAYS = 30
FORM_ALIASES = {"type": "kind"}  # the use case's field name -> the form's


def account_choices() -> list[tuple[str, str]]:
    rows = accounts.account_rows(include_archived=False)
    return [(str(row.id), f"{row.name} ({row.currency})") for row in rows]


def category_choices() -> list[tuple[str, str]]:
    names = ledger.category_ids_by_name()
    return [(str(category_id), name) for name, category_id in sorted(names.items())]


def describe(rule: Rule) -> str:
    """The schedule in words: "Every 2 weeks on Monday", "Monthly on the last day"."""
    schedule = rule.schedule
    n = schedule.interval
    match schedule.frequency:
        case Frequency.DAILY:
            return ngettext("Every day", "Every %(n)s days", n) % {"n": n}
        case Frequency.WEEKLY:
            day = str(WEEKDAYS[schedule.weekday_used])
            return ngettext(
                "Every week on %(day)s", "Every %(n)s weeks on %(day)s", n
            ) % {"n": n, "day": day}
        case Frequency.MONTHLY:
            if schedule.day_used == LAST_DAY:
                return ngettext(
                    "Every month on the last day",
                    "Every %(n)s months on the last day",
                    n,
                ) % {"n": n}
            return ngettext(
                "Every month on day %(day)s", "Every %(n)s months on day %(day)s", n
            ) % {"n": n, "day": schedule.day_used}
    return ngettext("Every year", "Every %(n)s years", n) % {"n": n}


def rule_or_404(rule_id: UUID) -> Rule:
    try:
        row = selectors.rule_row(rule_id)
    except NotFoundError as error:
        raise Http404 from error
    return selectors.to_domain(row)


@signed_in
@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    today = selectors.owner_today()
    rows = list(selectors.rule_rows())
    next_dates = selectors.next_dates(rows, today)
    rules = [
        {"rule": selectors.to_domain(row), "row": row, "next": next_dates[row.id]}
        for row in rows
    ]
    for item in rules:
        item["schedule"] = describe(item["rule"])
    upcoming = selectors.occurrences(
        None, start=today, end=today + timedelta(days=UPCOMING_DAYS), today=today
    )
    return render(
        request,
        "recurring/rule_list.html",
        {"rules": rules, "upcoming": upcoming, "days": UPCOMING_DAYS},
    )


@signed_in
@GET_OR_POST
def new_rule(request: HttpRequest) -> HttpResponse:
    form = RuleForm(
        request.POST or None,
        accounts=account_choices(),
        categories=category_choices(),
        initial={"starts_on": selectors.owner_today(), "interval": 1},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        command = use_cases.CreateRule(
            name=data["name"],
            template=use_cases.TemplateInput(
                kind=data["kind"],
                account_id=UUID(data["account"]),
                to_account_id=UUID(data["to_account"]) if data["to_account"] else None,
                amount=data["amount"],
                category_id=UUID(data["category"]) if data["category"] else None,
                payee=data["payee"],
                note=data["description"],
            ),
            schedule=use_cases.ScheduleInput(
                frequency=data["frequency"],
                starts_on=data["starts_on"],
                interval=data["interval"],
                day_of_month=data["day_of_month"],
                weekday=data["weekday"],
                ends_on=data["ends_on"],
                count=data["count"],
            ),
            is_bill=data["is_bill"],
        )
        try:
            use_cases.create_rule(uow=unit_of_work(), command=command)
        except DomainError as error:
            add_domain_error(form, error, aliases=FORM_ALIASES)
        else:
            messages.success(request, _("The recurring transaction has been saved."))
            return redirect("recurring:list")
    return render(request, "recurring/rule_form.html", {"form": form})


@signed_in
@GET_OR_POST
def edit_rule(request: HttpRequest, rule_id: UUID) -> HttpResponse:
    rule = rule_or_404(rule_id)
    template = rule.template
    form = EditRuleForm(
        request.POST or None,
        categories=category_choices(),
        initial={
            "name": rule.name,
            "amount": template.amount.to_string(),
            "category": str(template.category_id or ""),
            "payee": template.payee,
            "description": template.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _save_edit(rule, data)
        except NotFoundError as error:
            raise Http404 from error
        except DomainError as error:
            add_domain_error(form, error, aliases=FORM_ALIASES)
        else:
            messages.success(request, _("The recurring transaction has been saved."))
            return redirect("recurring:list")
    context = {"form": form, "rule": rule, "schedule": describe(rule)}
    return render(request, "recurring/edit_form.html", context)


def _save_edit(rule: Rule, data: dict[str, Any]) -> None:
    """In place for the words; the amount from a date on when one is given."""
    from_date = data["from_date"]
    amount_changed = data["amount"] != rule.template.amount.to_string()
    use_cases.update_rule(
        uow=unit_of_work(),
        command=use_cases.UpdateRule(
            rule_id=rule.id,
            name=data["name"],
            amount=UNCHANGED if from_date else data["amount"],
            category_id=UUID(data["category"]) if data["category"] else None,
            payee=data["payee"],
            note=data["description"],
        ),
    )
    if from_date and amount_changed:
        use_cases.change_from(
            uow=unit_of_work(),
            command=use_cases.ChangeFrom(
                rule_id=rule.id, on=from_date, amount=data["amount"]
            ),
        )


def _action(request: HttpRequest, done: str, action: Any) -> HttpResponse:
    try:
        action()
    except NotFoundError as error:
        raise Http404 from error
    except DomainError as error:
        messages.error(request, _(error.message))
    else:
        messages.success(request, done)
    back = (
        "recurring:bills" if request.POST.get("back") == "bills" else "recurring:list"
    )
    return redirect(back)


@signed_in
@require_POST
def pause_rule(request: HttpRequest, rule_id: UUID) -> HttpResponse:
    return _action(
        request,
        _("Paused: nothing is recorded until you resume it."),
        lambda: use_cases.pause_rule(uow=unit_of_work(), rule_id=rule_id),
    )


@signed_in
@require_POST
def resume_rule(request: HttpRequest, rule_id: UUID) -> HttpResponse:
    return _action(
        request,
        _("Resumed from today."),
        lambda: use_cases.resume_rule(uow=unit_of_work(), rule_id=rule_id),
    )


@signed_in
@require_POST
def delete_rule(request: HttpRequest, rule_id: UUID) -> HttpResponse:
    return _action(
        request,
        _("Deleted. What it recorded stays in your transactions."),
        lambda: use_cases.delete_rule(uow=unit_of_work(), rule_id=rule_id),
    )


def _posted_date(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.POST.get("date", ""))
    except ValueError as error:
        raise Http404 from error


@signed_in
@require_POST
def skip_occurrence(request: HttpRequest, rule_id: UUID) -> HttpResponse:
    on = _posted_date(request)
    return _action(
        request,
        _("That date is skipped."),
        lambda: use_cases.skip_occurrence(uow=unit_of_work(), rule_id=rule_id, on=on),
    )


@signed_in
@require_POST
def confirm_bill(request: HttpRequest, rule_id: UUID) -> HttpResponse:
    on = _posted_date(request)
    return _action(
        request,
        _("The bill is paid and recorded."),
        lambda: use_cases.confirm_bill(uow=unit_of_work(), rule_id=rule_id, on=on),
    )


@signed_in
@require_GET
def bills(request: HttpRequest) -> HttpResponse:
    today = selectors.owner_today()
    month = selectors.bills_of_month(today)
    by_state = {
        state: [b for b in month.bills if b.status == state.value]
        for state in BillState
    }
    totals = [
        (_("Due this month"), month.due),
        (_("Paid"), month.totals(BillState.PAID)),
        (_("Still to pay"), month.totals(BillState.UPCOMING)),
        (_("Overdue"), month.totals(BillState.OVERDUE)),
    ]
    context = {
        "month": month.month_start,
        "overdue": selectors.overdue_bills(today),
        "upcoming": by_state[BillState.UPCOMING],
        "paid": by_state[BillState.PAID],
        "totals": [(label, list(amounts.values())) for label, amounts in totals],
    }
    return render(request, "recurring/bills.html", context)


@signed_in
@require_GET
def forecast(request: HttpRequest) -> HttpResponse:
    choices = account_choices()
    form = ForecastForm(request.GET or None, accounts=choices)
    days, account_id, buffer = 90, None, None
    if form.is_bound and form.is_valid():
        days = form.cleaned_data["days"]
        account_id = (
            UUID(form.cleaned_data["account"]) if form.cleaned_data["account"] else None
        )
        buffer = form.cleaned_data["buffer"] or None
    try:
        report = selectors.forecast(
            today=selectors.owner_today(),
            days=days,
            account_id=account_id,
            buffer=buffer,
        )
    except DomainError as error:
        add_domain_error(form, error)
        report = selectors.forecast(today=selectors.owner_today(), days=days)
        buffer = None
    if account_id is not None:
        series = [(f.account.row.name, f.forecast) for f in report.accounts]
    else:
        series = [(f.currency, f) for f in report.by_currency]
        total = report.in_base.forecast if report.in_base else None
        if total is not None and [f.currency for f in report.by_currency] != [
            total.currency
        ]:
            name = _("All accounts in %(currency)s") % {"currency": total.currency}
            series.insert(0, (name, total))
    charts = [
        {
            "name": name,
            "forecast": f,
            "chart": line_chart(
                f, None if buffer is None else Money.parse(buffer, f.currency).minor
            ),
            "changes": [
                day
                for index, day in enumerate(f.days)
                if index == 0 or day.minor != f.days[index - 1].minor
            ],
        }
        for name, f in series
    ]
    context = {
        "form": form,
        "charts": charts,
        "days": days,
        "today": report.today,
        "missing_rates": report.in_base.missing if report.in_base else (),
    }
    return render(request, "recurring/forecast.html", context)
