"""The pack's charts as PNG images (matplotlib, Agg backend), for the Word document.

matplotlib is imported inside the functions: only the monthly command draws charts.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from iro_stats.render.safe import chart as label_text
from iro_stats.table import COUNT, NOT_AVAILABLE, SUPPRESSED

if TYPE_CHECKING:
    from iro_stats.reports.pack import Chart

# One colour per category, in category order: Okabe and Ito's eight, told apart by people
# with any common colour-vision deficiency and in greyscale print, ordered so that
# neighbours in a stack differ in lightness. A ninth category on reuses them with
# diagonal hatching (here and in the workbook's native chart), never a near-duplicate hue.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000"]
HATCH = "///"
BAR = "#1F4E79"
DPI = 150


def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else None


def chart_png(chart: "Chart") -> bytes:
    """Return the chart drawn as PNG bytes (the same bytes for the same table)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9,
                         "svg.hashsalt": "iro-stats"})
    fig = _bar(plt, chart) if chart.kind == "bar" else _stacked(plt, chart)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def _body(table):
    return table.rows[:-1] if table.total else table.rows


def _bar(plt, chart: "Chart"):
    rows = _body(chart.table)
    labels = [label_text(r[0]) for r in rows]
    shown = [r[chart.value_column] for r in rows]
    values = [_number(v) for v in shown]
    fig, ax = plt.subplots(figsize=(7.0, 0.38 * max(len(rows), 3) + 1.0))
    positions = range(len(rows))
    ax.barh(list(positions), [v or 0 for v in values], color=BAR, height=0.6)
    top = max([v for v in values if v] or [1])
    for y, v, cell in zip(positions, values, shown):
        ax.text((v or 0) + top * 0.01, y, str(cell) if v is None else f"{v:g}",
                va="center", fontsize=9)
    ax.set_yticks(list(positions), labels)
    ax.invert_yaxis()
    ax.set_xlabel("Escalations")
    ax.set_xlim(0, top * 1.12)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(label_text(chart.title), loc="left", fontsize=10, fontweight="bold")
    fig.tight_layout()
    if SUPPRESSED in shown:
        fig.subplots_adjust(bottom=fig.subplotpars.bottom + 0.06)
        fig.text(0.01, 0.01, "c: a small count not shown (disclosure control)", fontsize=8)
    return fig


def _stacked(plt, chart: "Chart"):
    table = chart.table
    months = [j for j, c in enumerate(table.columns)
              if c.kind == COUNT and c.name.lower() != "total"]
    labels = [label_text(table.columns[j].name) for j in months]
    body = _body(table)
    hidden = any(r[j] == SUPPRESSED for r in body for j in months)
    fig, ax = plt.subplots(figsize=(9.5, 4.8))
    x = list(range(len(months)))
    if hidden:
        # A stack with hidden parts would misdraw the months, so draw only the totals.
        totals = [_number(table.rows[-1][j]) for j in months]
        ax.bar(x, [t or 0 for t in totals], color=BAR, width=0.7, label="All escalations")
    else:
        bottom = [0.0] * len(months)
        for index, row in enumerate(body):
            values = [_number(row[j]) or 0 for j in months]
            if not any(values):
                continue
            ax.bar(x, values, bottom=bottom, width=0.7, label=label_text(row[0]),
                   color="white" if index >= len(PALETTE) else PALETTE[index % len(PALETTE)],
                   hatch=HATCH if index >= len(PALETTE) else None,
                   edgecolor=PALETTE[index % len(PALETTE)] if index >= len(PALETTE)
                   else "white", linewidth=0.4)
            bottom = [b + v for b, v in zip(bottom, values)]
    for xi, cell in zip(x, [table.rows[-1][j] for j in months]):
        total = _number(cell)
        if total is not None:
            ax.text(xi, total, f"{total:g}", ha="center", va="bottom", fontsize=9)
        elif cell == NOT_AVAILABLE or cell is None:
            ax.text(xi, 0, "no data", ha="center", va="bottom", fontsize=7, rotation=90)
        else:  # a month's total hidden by disclosure control
            ax.text(xi, 0, str(cell), ha="center", va="bottom", fontsize=9)
    ax.set_xticks(x, labels, rotation=45, ha="right")
    ax.set_ylabel("Escalations raised")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(label_text(chart.title), loc="left", fontsize=10, fontweight="bold")
    handles, names = ax.get_legend_handles_labels()
    if handles:  # top of the legend = top of the stack
        ax.legend(handles[::-1], names[::-1], loc="upper left", bbox_to_anchor=(1.01, 1.0),
                  frameon=False, fontsize=9)
    if hidden:
        fig.text(0.01, 0.01, "Totals only: small counts by category are not shown "
                 "(disclosure control).", fontsize=8)
    # Room on the right for the legend, found by hand: cheaper than bbox_inches="tight".
    fig.subplots_adjust(left=0.07, right=0.66, top=0.92, bottom=0.2)
    return fig
