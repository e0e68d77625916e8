"""Charts for reports, drawn by matplotlib as SVG (crisp in the PDF, small in the HTML).

matplotlib's object API (``Figure``, no ``pyplot``) keeps no global state, so concurrent renders in one process
never draw on each other's figures, and no GUI backend is ever loaded.
"""

from __future__ import annotations

import base64
import io

BAR_COLOUR = "#2f5d8a"
LINE_COLOUR = "#c0692b"


def daily_cost_chart_svg(days: list[str], dollars: list[float], calls: list[int]) -> str:
    """A bar per local day (dollars) with the day's calls as a line on a second axis; ``days`` as YYYY-MM-DD."""
    # Imported here: matplotlib takes a moment to import and only report writers need it.
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator, StrMethodFormatter

    figure = Figure(figsize=(7.4, 2.6), dpi=100)
    axes = figure.subplots()
    positions = list(range(len(days)))
    bars = axes.bar(positions, dollars, color=BAR_COLOUR, width=0.75, label="dollars")
    axes.set_ylabel("USD per day")
    axes.yaxis.set_major_formatter(StrMethodFormatter("${x:,.2f}"))
    axes.set_ylim(bottom=0, top=max(max(dollars, default=0.0) * 1.15, 0.01))
    step = max(1, len(days) // 10)  # at most ~10 day labels, whatever the window
    axes.set_xticks(positions[::step], [d[5:] for d in days[::step]], fontsize=8)
    axes.set_xlim(-0.6, len(days) - 0.4)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    counts = axes.twinx()
    (line,) = counts.plot(positions, calls, color=LINE_COLOUR, marker="o", markersize=2.5, linewidth=1.2, label="calls")
    counts.set_ylabel("calls per day")
    counts.set_ylim(bottom=0, top=max(max(calls, default=0) * 1.15, 1))
    counts.yaxis.set_major_locator(MaxNLocator(integer=True))
    counts.spines["top"].set_visible(False)
    # Above the plot, where no bar or point can be hidden behind it.
    axes.legend(
        [bars, line],
        ["dollars", "calls"],
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncols=2,
        fontsize=8,
        frameon=False,
    )
    buffer = io.StringIO()
    # No date in the file: the same figures draw the same chart.
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def svg_data_uri(svg: str) -> str:
    """An SVG as a ``data:`` URI: the one kind of URL report rendering fetches (see ``reports.render``)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
