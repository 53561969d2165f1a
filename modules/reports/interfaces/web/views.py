"""Report pages under /app/reports/: a range form, the chart with its title, text
summary and figures as a table, and the CSV download of the same report."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from modules.reports.domain.reports import Figure, sum_figures
from modules.reports.interfaces import csv_export, params
from modules.reports.interfaces.api.views import csv_response
from modules.reports.interfaces.web import charts
from modules.shared.domain.errors import ValidationError
from modules.shared.interfaces.web.forms import add_domain_error
from modules.shared.interfaces.web.views import signed_in

MONTH = forms.TextInput(attrs={"type": "month", "placeholder": "2026-01"})
Builder = Callable[[Mapping[str, str]], Any]

# `from` is a Python keyword, so the form is built by name.
RangeForm = type(
    "RangeForm",
    (forms.Form,),
    {
        "from": forms.CharField(label=_("From month"), required=False, widget=MONTH),
        "to": forms.CharField(label=_("To month"), required=False, widget=MONTH),
    },
)
SpendingRangeForm = type(
    "SpendingRangeForm",
    (RangeForm,),
    {
        "by": forms.ChoiceField(
            label=_("Show spending by"),
            required=False,
            choices=[("category", _("Category")), ("group", _("Group"))],
        )
    },
)


def _build(
    request: HttpRequest, build: Builder, form_class: type[forms.Form] = RangeForm
) -> tuple[Any, forms.Form]:
    """The report the query asks for; a bad query shows its error on the form and
    the default range instead."""
    form = form_class(request.GET)
    form.is_valid()
    try:
        return build(request.GET), form
    except ValidationError as error:
        add_domain_error(form, error)
        return build({}), form


def _page(
    request: HttpRequest,
    name: str,
    report: Any,
    form: forms.Form,
    figures: Iterable[Figure],
    **extra: Any,
) -> HttpResponse:
    query = request.GET.urlencode()
    context = {
        "report": report,
        "form": form,
        "csv_url": reverse(f"reports:{name}-csv") + (f"?{query}" if query else ""),
        "missing": sorted({code for figure in figures for code in figure.missing}),
        **extra,
    }
    return render(request, f"reports/{name.replace('-', '_')}.html", context)


@signed_in
@require_GET
def net_worth(request: HttpRequest) -> HttpResponse:
    report, form = _build(request, params.net_worth_from)
    known = [point for point in report.points if point.net.base is not None]
    return _page(
        request,
        "net-worth",
        report,
        form,
        [f for point in report.points for f in (point.assets, point.liabilities)],
        chart=charts.net_worth_chart(report),
        first=known[0] if known else None,
        last=known[-1] if known else None,
        change=known[-1].net.base - known[0].net.base if known else None,
    )


@signed_in
@require_GET
def cash_flow(request: HttpRequest) -> HttpResponse:
    report, form = _build(request, params.cash_flow_from)
    base = report.range.base
    income = sum_figures([point.income for point in report.points], base)
    spending = sum_figures([point.spending for point in report.points], base)
    return _page(
        request,
        "cash-flow",
        report,
        form,
        [income, spending],
        chart=charts.cash_flow_chart(report),
        income=income,
        spending=spending,
        net=income - spending,
    )


@signed_in
@require_GET
def spending(request: HttpRequest) -> HttpResponse:
    report, form = _build(request, params.spending_from, SpendingRangeForm)
    rows = report.breakdown.rows
    return _page(
        request,
        "spending",
        report,
        form,
        [report.breakdown.total],
        chart=charts.spending_chart(report),
        largest=rows[0] if rows else None,
    )


def _download(
    name: str, build: Builder, to_csv: Callable[[Any], str]
) -> Callable[[HttpRequest], HttpResponse]:
    @signed_in
    @require_GET
    def view(request: HttpRequest) -> HttpResponse:
        try:
            report = build(request.GET)
        except ValidationError as error:
            return HttpResponseBadRequest(gettext(error.message))
        return csv_response(to_csv(report), csv_export.filename(name, report))

    return view


net_worth_csv = _download("net-worth", params.net_worth_from, csv_export.net_worth_csv)
cash_flow_csv = _download("cash-flow", params.cash_flow_from, csv_export.cash_flow_csv)
spending_csv = _download(
    "spending-by-category", params.spending_from, csv_export.spending_csv
)
