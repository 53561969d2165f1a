"""A forecast as a small server-rendered SVG line chart: no script needed."""

from __future__ import annotations

from dataclasses import dataclass

from modules.recurring.domain.forecasts import Forecast

WIDTH = 720
HEIGHT = 240
PAD_X = 8
PAD_Y = 16


@dataclass(frozen=True, kw_only=True)
class Chart:
    width: int
    height: int
    points: str
    zero_y: float | None
    buffer_y: float | None
    lowest_x: float
    lowest_y: float


def line_chart(forecast: Forecast, buffer_minor: int | None = None) -> Chart:
    values = [day.minor for day in forecast.days]
    marks = [*values, 0] + ([] if buffer_minor is None else [buffer_minor])
    top, bottom = max(marks), min(marks)
    span = (top - bottom) or 1
    step = (WIDTH - 2 * PAD_X) / max(len(values) - 1, 1)

    def y(value: int) -> float:
        return round(PAD_Y + (top - value) * (HEIGHT - 2 * PAD_Y) / span, 1)

    def x(index: int) -> float:
        return round(PAD_X + index * step, 1)

    lowest = values.index(forecast.lowest.minor)
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        points=" ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values)),
        zero_y=y(0),
        buffer_y=None if buffer_minor is None else y(buffer_minor),
        lowest_x=x(lowest),
        lowest_y=y(values[lowest]),
    )
