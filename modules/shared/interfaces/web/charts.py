"""Charts drawn on the server as SVG: no script and no library.

A chart is a frame (gridlines labelled with their amounts, a line at zero, labels
along the bottom) and marks inside it: polylines with point markers, or bars. The
page around it gives a title, a text summary and the figures as a table; series
differ by line style, marker or fill pattern as well as by colour, so colour is
never the only cue. `templates/includes/chart_frame.html` draws the frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from modules.shared.domain.money import Money

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 96, 16, 16, 32
GRIDLINES = 4
MAX_TICKS = 8


@dataclass(frozen=True)
class Gridline:
    y: float
    amount: Money


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, kw_only=True)
class Frame:
    """Where values and slots fall: `y(amount)` and `x(index)` (a slot's centre)."""

    width: int
    height: int
    left: int
    right: int
    low: Decimal
    high: Decimal
    slots: int
    currency: str
    gridlines: list[Gridline]
    ticks: list[Tick]

    @property
    def plot_height(self) -> int:
        return self.height - TOP - BOTTOM

    @property
    def slot_width(self) -> float:
        return (self.right - self.left) / self.slots

    @property
    def baseline(self) -> float:
        """The y of zero (the bottom when every value is positive)."""
        return self.y(Decimal(0))

    @property
    def label_y(self) -> int:
        return self.height - 10

    def y(self, amount: Decimal) -> float:
        span = (self.high - self.low) or Decimal(1)
        return round(TOP + self.plot_height * float((self.high - amount) / span), 1)

    def x(self, index: int) -> float:
        return round(self.left + self.slot_width * (index + 0.5), 1)

    def points(self, amounts: Sequence[Decimal | None]) -> str:
        """A polyline's points; slots without a value are left out."""
        return " ".join(
            f"{self.x(i)},{self.y(a)}" for i, a in enumerate(amounts) if a is not None
        )


def frame(
    *,
    amounts: Sequence[Decimal],
    currency: str,
    labels: Sequence[str],
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Frame:
    """A frame for these amounts (zero always shown) over one slot per label."""
    low = min([Decimal(0), *amounts])
    high = max([Decimal(0), *amounts])
    if low == high:
        high = low + 1
    slots = max(len(labels), 1)
    every = -(-slots // MAX_TICKS)
    shell = Frame(
        width=width,
        height=height,
        left=LEFT,
        right=width - RIGHT,
        low=low,
        high=high,
        slots=slots,
        currency=currency,
        gridlines=[],
        ticks=[],
    )
    steps = [low + (high - low) * k / GRIDLINES for k in range(GRIDLINES + 1)]
    return replace(
        shell,
        gridlines=[
            Gridline(y=shell.y(step), amount=Money.of(step, currency)) for step in steps
        ],
        ticks=[
            Tick(x=shell.x(i), label=label)
            for i, label in enumerate(labels)
            if i % every == 0
        ],
    )
