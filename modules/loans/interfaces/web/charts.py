"""The balance-over-time chart of a loan, drawn on the server as SVG.

No JavaScript and no library: the chart is a polyline over a few gridlines, drawn
with the shared frame (`templates/includes/chart_frame.html`). Paid
months are a solid line and the rest a dashed one (a cue that does not rest on
colour), and the page carries a text summary and the figures as a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from modules.loans.domain.schedule import Schedule
from modules.shared.domain.money import Money
from modules.shared.interfaces.web.charts import Gridline, Tick

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 96, 24, 16, 32
GRIDLINES = 4


@dataclass(frozen=True)
class YearEnd:
    year: int
    balance: Money


@dataclass(frozen=True)
class BalanceChart:
    width: int
    height: int
    left: int
    right: int
    paid_points: str  # "x,y x,y ..." for the solid part
    planned_points: str  # for the dashed part, from the last paid point on
    gridlines: list[Gridline]
    ticks: list[Tick]
    year_ends: list[YearEnd]
    start: Money
    end_date: date
    baseline: float

    @property
    def label_y(self) -> int:
        return self.height - 10


def balance_chart(schedule: Schedule, *, paid: int) -> BalanceChart:
    """Balance before the first payment, then after each one."""
    currency = schedule.terms.currency
    start = schedule.balance_before(1)
    points = [(schedule.terms.first_payment_on, start)] + [
        (row.date, row.balance_after) for row in schedule.rows
    ]
    top = max(start.amount, Decimal(1))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    steps = max(len(points) - 1, 1)

    def x(index: int) -> float:
        return round(LEFT + plot_w * index / steps, 1)

    def y(amount: Decimal) -> float:
        return round(TOP + plot_h * float(1 - amount / top), 1)

    coordinates = [f"{x(i)},{y(m.amount)}" for i, (_, m) in enumerate(points)]
    split = min(paid, len(coordinates) - 1)
    year_ends: dict[int, tuple[int, Money]] = {}
    for index, (day, balance) in enumerate(points):
        if index:
            year_ends[day.year] = (index, balance)
    years = sorted(year_ends)
    every = max(len(years) // 6, 1)
    ticks = [Tick(x=x(year_ends[year][0]), label=str(year)) for year in years[::every]]
    return BalanceChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        paid_points=" ".join(coordinates[: split + 1]) if paid else "",
        planned_points=" ".join(coordinates[split:]),
        gridlines=[
            Gridline(
                y=y(top * k / GRIDLINES),
                amount=Money.of(top * k / GRIDLINES, currency),
            )
            for k in range(GRIDLINES + 1)
        ],
        ticks=ticks,
        year_ends=[YearEnd(year=year, balance=year_ends[year][1]) for year in years],
        start=start,
        end_date=schedule.payoff_date,
        baseline=float(TOP + plot_h),
    )
