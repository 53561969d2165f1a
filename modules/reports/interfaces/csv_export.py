"""Every report as a CSV download: one row per month (or category), the base
currency's figures first, then each currency's own columns. Amounts are plain
decimal strings, as in the API; an empty cell is a figure with a rate missing."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any

from modules.reports.application.reports import (
    CashFlowReport,
    NetWorthReport,
    SpendingReport,
)
from modules.reports.domain.reports import Figure

Column = tuple[str, Callable[[Any], Figure]]


def _text(figure: Figure) -> str:
    return "" if figure.base is None else figure.base.to_string()


def _table(
    items: Sequence[Any],
    *,
    base: str,
    leading: Sequence[tuple[str, Callable[[Any], str]]],
    figures: Sequence[Column],
) -> str:
    currencies = sorted(
        {code for item in items for _, get in figures for code in get(item).by_currency}
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [name for name, _ in leading]
        + ["base_currency"]
        + [name for name, _ in figures]
        + ["missing_rates"]
        + [f"{name}_{code}" for code in currencies for name, _ in figures]
    )
    for item in items:
        values = [get(item) for _, get in figures]
        missing = sorted({code for value in values for code in value.missing})
        writer.writerow(
            [get(item) for _, get in leading]
            + [base]
            + [_text(value) for value in values]
            + [" ".join(missing)]
            + [
                value.by_currency[code].to_string() if code in value.by_currency else ""
                for code in currencies
                for value in values
            ]
        )
    return out.getvalue()


def _period(point: Any) -> str:
    return f"{point.month:%Y-%m}"


def net_worth_csv(report: NetWorthReport) -> str:
    return _table(
        report.points,
        base=report.range.base,
        leading=[("period", _period), ("date", lambda p: p.on.isoformat())],
        figures=[
            ("assets", lambda p: p.assets),
            ("liabilities", lambda p: p.liabilities),
            ("net_worth", lambda p: p.net),
        ],
    )


def cash_flow_csv(report: CashFlowReport) -> str:
    return _table(
        report.points,
        base=report.range.base,
        leading=[
            ("period", _period),
            ("date", lambda p: p.on.isoformat()),
            (
                "savings_rate",
                lambda p: "" if p.savings_rate is None else str(p.savings_rate),
            ),
        ],
        figures=[
            ("income", lambda p: p.income),
            ("spending", lambda p: p.spending),
            ("net", lambda p: p.net),
        ],
    )


def spending_csv(report: SpendingReport) -> str:
    return _table(
        report.breakdown.rows,
        base=report.range.base,
        leading=[
            ("category", lambda r: r.name),
            ("group", lambda r: r.group_name),
            ("share", lambda r: "" if r.share is None else str(r.share)),
        ],
        figures=[("amount", lambda r: r.amount)],
    )


def filename(name: str, report: Any) -> str:
    span = report.range
    return f"{name}-{span.first_day:%Y-%m}-{span.last_month:%Y-%m}.csv"
