"""The reports' charts, on the shared SVG frame (`shared.interfaces.web.charts`).

Net worth is a solid line with a circle on each month; cash flow is a pair of bars
per month, income solid and spending hatched; spending by category is one
horizontal bar per category with its amount written beside it. Months whose base
figure is missing (no rate) are left out of the marks and said in the summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats

from modules.reports.application.reports import (
    CashFlowReport,
    NetWorthReport,
    SpendingReport,
)
from modules.shared.domain.money import Money
from modules.shared.interfaces.web.charts import Frame, frame

BAR_ROW, BAR_LABELS, BAR_RIGHT = 28, 160, 120
MAX_BARS = 12


def _label(month: object) -> str:
    return formats.date_format(month, "M y")


def _amount(money: Money | None) -> Decimal | None:
    return None if money is None else money.amount


@dataclass(frozen=True)
class Marker:
    x: float
    y: float


@dataclass(frozen=True, kw_only=True)
class LineChart:
    frame: Frame
    points: str
    markers: list[Marker]


def net_worth_chart(report: NetWorthReport) -> LineChart:
    values = [_amount(point.net.base) for point in report.points]
    chart = frame(
        amounts=[v for v in values if v is not None],
        currency=report.range.base,
        labels=[_label(point.month) for point in report.points],
    )
    return LineChart(
        frame=chart,
        points=chart.points(values),
        markers=[
            Marker(chart.x(i), chart.y(v))
            for i, v in enumerate(values)
            if v is not None
        ],
    )


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, kw_only=True)
class BarChart:
    frame: Frame
    income: list[Bar]
    spending: list[Bar]


def _bar(chart: Frame, index: int, amount: Decimal, *, second: bool) -> Bar:
    width = round(chart.slot_width * 0.38, 1)
    x = chart.x(index) - width if not second else chart.x(index)
    top, zero = chart.y(amount), chart.baseline
    return Bar(x=round(x, 1), y=min(top, zero), width=width, height=abs(zero - top))


def cash_flow_chart(report: CashFlowReport) -> BarChart:
    income = [_amount(point.income.base) for point in report.points]
    spending = [_amount(point.spending.base) for point in report.points]
    chart = frame(
        amounts=[v for v in [*income, *spending] if v is not None],
        currency=report.range.base,
        labels=[_label(point.month) for point in report.points],
    )
    return BarChart(
        frame=chart,
        income=[
            _bar(chart, i, v, second=False)
            for i, v in enumerate(income)
            if v is not None
        ],
        spending=[
            _bar(chart, i, v, second=True)
            for i, v in enumerate(spending)
            if v is not None
        ],
    )


@dataclass(frozen=True)
class CategoryBar:
    label: str
    amount: Money
    y: float
    width: float
    text_y: float
    value_x: float


@dataclass(frozen=True, kw_only=True)
class CategoryChart:
    width: int
    height: int
    left: int
    bars: list[CategoryBar]
    bar_height: int


def spending_chart(report: SpendingReport, *, width: int = 640) -> CategoryChart:
    """The largest categories (at most twelve; the table lists them all)."""
    rows = [
        row
        for row in report.breakdown.rows
        if row.amount.base is not None and row.amount.base.is_positive()
    ][:MAX_BARS]
    top = max((row.amount.base.amount for row in rows if row.amount.base), default=1)
    room = width - BAR_LABELS - BAR_RIGHT
    return CategoryChart(
        width=width,
        height=max(len(rows), 1) * BAR_ROW + 8,
        left=BAR_LABELS,
        bar_height=BAR_ROW - 10,
        bars=[
            _category_bar(row.name, row.amount.base, i, room, top)
            for i, row in enumerate(rows)
            if row.amount.base is not None
        ],
    )


def _category_bar(
    label: str, amount: Money, index: int, room: int, top: Decimal
) -> CategoryBar:
    width = round(room * float(amount.amount / top), 1)
    y = 4 + index * BAR_ROW
    return CategoryBar(
        label=label,
        amount=amount,
        y=y,
        width=width,
        text_y=y + (BAR_ROW - 10) / 2,
        value_x=round(BAR_LABELS + width + 6, 1),
    )
