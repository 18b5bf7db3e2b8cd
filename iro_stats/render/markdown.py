"""The monthly pack as Markdown, for emails and wikis (tables drawn by render.text)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from iro_stats.render.text import to_text

if TYPE_CHECKING:
    from iro_stats.reports.pack import Pack


def pack_markdown(pack: "Pack", chart_files: dict[str, str] | None = None) -> str:
    """Return the pack as one Markdown document; charts as links when files are given."""
    chart_files = chart_files or {}
    parts = [f"# {pack.title}", ""]
    parts += [line + "  " for line in pack.summary]
    parts.append("")
    for section in pack.sections:
        heading = "## Appendix: " if section.appendix else "## "
        title = section.title.split(". ", 1)[-1] if section.appendix else section.title
        parts += [heading + title, ""]
        for line in section.text:
            parts += [line, ""]
        for table in section.tables:
            parts.append(to_text(table, "markdown"))
        if section.chart is not None and section.chart.title in chart_files:
            parts += [f"![{section.chart.title}]({chart_files[section.chart.title]})", ""]
    parts.append(f"_Made by iro-stats at {pack.run_at:%Y-%m-%d %H:%M} UTC._")
    return "\n".join(parts).rstrip("\n") + "\n"
