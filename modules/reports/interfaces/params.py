"""The query of every report, read the same way by the API and the web pages:
`?from=2026-01&to=2026-12&interval=month` (a full date names its month), and
`by=category|group` for spending; and each report built from it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.utils.translation import gettext

from modules.reports.application import reports
from modules.reports.application.reports import Range, Readings, report_range
from modules.reports.infrastructure.readings import LedgerReadings
from modules.shared.domain.errors import ValidationError
from modules.shared.domain.text import gettext_noop

INTERVALS = ("month",)


def month_param(params: Mapping[str, str], name: str) -> date | None:
    text = (params.get(name) or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text if len(text) > 7 else f"{text}-01")
    except ValueError:
        raise ValidationError.for_field(
            name,
            gettext_noop("Use a month like 2026-11 or a date like 2026-11-22."),
            code="invalid_month",
        ) from None


def range_from(params: Mapping[str, str], readings: Readings) -> Range:
    if params.get("interval", "month") not in INTERVALS:
        raise ValidationError.for_field(
            "interval",
            gettext_noop("Reports are by month: use interval=month."),
            code="invalid_interval",
        )
    return report_range(
        readings, start=month_param(params, "from"), end=month_param(params, "to")
    )


def by_group(params: Mapping[str, str]) -> bool:
    wanted = params.get("by", "category")
    if wanted not in ("category", "group"):
        raise ValidationError.for_field(
            "by",
            gettext_noop("Break spending down by category or by group."),
            code="invalid_choice",
        )
    return wanted == "group"


def net_worth_from(params: Mapping[str, str]) -> reports.NetWorthReport:
    readings = LedgerReadings()
    return reports.net_worth_report(readings, range_from(params, readings))


def cash_flow_from(params: Mapping[str, str]) -> reports.CashFlowReport:
    readings = LedgerReadings()
    return reports.cash_flow_report(readings, range_from(params, readings))


def spending_from(params: Mapping[str, str]) -> reports.SpendingReport:
    readings = LedgerReadings()
    return reports.spending_report(
        readings,
        range_from(params, readings),
        by_group=by_group(params),
        uncategorised=gettext("Uncategorised"),
    )
