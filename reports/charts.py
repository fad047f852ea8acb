"""Bar charts as PNG bytes, sized to be read on a phone: a chart for the monthly digest.

Rendering is CPU work (a few hundred milliseconds): async callers run it in a thread,
`png = await asyncio.to_thread(bar_chart, title, villages, series)`. It is safe there because
nothing touches pyplot's global state: each call draws on its own `Figure` with the Agg canvas.
Labels are drawn in DejaVu Sans, which ships with matplotlib and has every Vietnamese letter.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Sequence

FONT = "DejaVu Sans"
WIDTH = 10.0  # inches; at DPI this is 1000 px, which a phone shows across the screen
DPI = 100
LIMIT = 20  # categories drawn; beyond that the largest are kept and a note counts the rest
LABEL_CHARS = 18  # per line of a category label
LABEL_LINES = 2
TITLE_CHARS = 48
# Sizes in points: the image is shrunk to about 0.4 on a phone, so text is drawn large.
TITLE_SIZE, LABEL_SIZE, VALUE_SIZE, TICK_SIZE = 21, 17, 15, 14
BAR_INCHES = 0.3  # thickness of one series' bar
GAP_INCHES = 0.25  # between two categories
MIN_ROW_INCHES = 0.55  # room for a two-line label
FRAME_INCHES = 2.4  # title, legend, axis and note around the bars
# Okabe–Ito: told apart by readers with colour-blindness, and in grey print.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")


def bar_chart(title: str, categories: list[str], series: dict[str, list[float]], *, limit: int = LIMIT,
              more: str = "+{count}", value_format: Callable[[float], str] | None = None) -> bytes:
    """Horizontal grouped bars, one group per category (e.g. visits and concerns per village), as PNG.

    Categories keep the given order, top to bottom; when there are more than `limit`, the ones
    with the largest totals are drawn, largest first, and `more` (a template with `{count}`,
    already translated, e.g. "và {count} thôn khác") says how many were left out.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # imported here: costs ~0.4 s, only for charts
    from matplotlib.figure import Figure

    names = list(series)
    values = [[_number(v) for v in series[name]] for name in names]
    for name, column in zip(names, values, strict=True):
        if len(column) != len(categories):
            raise ValueError(f"series {name!r} has {len(column)} values for {len(categories)} categories")
    shown = _shown(categories, values, limit)
    hidden = len(categories) - len(shown)
    count = max(1, len(names))
    row = max(MIN_ROW_INCHES, BAR_INCHES * count + GAP_INCHES)
    figure = Figure(figsize=(WIDTH, FRAME_INCHES + row * max(1, len(shown))), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(textwrap.fill(title, TITLE_CHARS), fontfamily=FONT, fontsize=TITLE_SIZE, fontweight="bold")
    axes = figure.add_subplot()
    thickness = min(0.8 / count, BAR_INCHES / row)
    render = value_format or _format
    top = max((values[s][i] for s in range(len(names)) for i in shown), default=0.0)
    for s, name in enumerate(names):
        offsets = [position + (s - (count - 1) / 2) * thickness for position in range(len(shown))]
        heights = [values[s][i] for i in shown]
        bars = axes.barh(offsets, heights, height=thickness, label=name, color=COLOURS[s % len(COLOURS)])
        axes.bar_label(bars, labels=[render(v) for v in heights], padding=4, fontfamily=FONT, fontsize=VALUE_SIZE)
    axes.set_yticks(range(len(shown)), labels=[_label(categories[i]) for i in shown], fontfamily=FONT,
                    fontsize=LABEL_SIZE)
    axes.set_ylim(len(shown) - 0.5 if shown else 0.5, -0.5)  # first category at the top
    axes.set_xlim(0, top * 1.18 if top > 0 else 1)
    axes.tick_params(axis="x", labelsize=TICK_SIZE, labelfontfamily=FONT)
    axes.tick_params(axis="y", length=0)
    axes.grid(axis="x", color="#dddddd")
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if len(names) > 1:
        axes.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=min(len(names), 3), frameon=False,
                    prop={"family": FONT, "size": LABEL_SIZE}, borderaxespad=0.2)
    if hidden:
        axes.set_xlabel(more.format(count=hidden), fontfamily=FONT, fontsize=LABEL_SIZE, loc="left")
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def _shown(categories: Sequence[str], values: list[list[float]], limit: int) -> list[int]:
    """Indexes of the categories to draw: all in order, or the `limit` largest totals, largest first."""
    if len(categories) <= limit:
        return list(range(len(categories)))
    totals = [sum(column[i] for column in values) for i in range(len(categories))]
    return sorted(range(len(categories)), key=lambda i: (-totals[i], i))[:limit]


def _label(name: str) -> str:
    """A long village name on two lines at most, cut with an ellipsis."""
    lines = textwrap.wrap(" ".join(name.split()), LABEL_CHARS, break_long_words=True) or [""]
    if len(lines) > LABEL_LINES:
        lines = lines[:LABEL_LINES]
        lines[-1] = lines[-1][:LABEL_CHARS - 1].rstrip() + "…"
    return "\n".join(lines)


def _number(value: float | int | None) -> float:
    return float(value) if value is not None else 0.0


def _format(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
