"""What other modules may use of reports: the figures the dashboard shows. Everything
else in `modules.reports` is private to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from modules.reports.application.reports import (
    cash_flow_report,
    net_worth_report,
    report_range,
)
from modules.reports.domain.reports import CashFlowPoint, Figure, NetWorthPoint
from modules.reports.infrastructure.readings import LedgerReadings

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, kw_only=True)
class DashboardFigures:
    net_worth: NetWorthPoint  # this month's, as of today
    change: Figure  # since the end of last month
    cash_flow: CashFlowPoint  # this month's so far


def dashboard_figures() -> DashboardFigures:
    """Net worth now and its change this month, and this month's cash flow, from
    the same read model as the reports (a constant number of queries)."""
    readings = LedgerReadings()
    today = readings.today()
    last_month = (today.replace(day=1) - _ONE_DAY).replace(day=1)
    span = report_range(readings, start=last_month, end=today)
    before, now = net_worth_report(readings, span).points
    return DashboardFigures(
        net_worth=now,
        change=now.net - before.net,
        cash_flow=cash_flow_report(readings, span).points[-1],
    )


__all__ = ["DashboardFigures", "dashboard_figures"]
