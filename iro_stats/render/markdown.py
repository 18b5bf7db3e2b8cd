"""The monthly pack as Markdown, for emails and wikis (tables drawn by render.text)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from iro_stats.render.safe import markdown, markdown_line
from iro_stats.render.text import to_text

if TYPE_CHECKING:
    from iro_stats.reports.pack import Pack


def pack_markdown(pack: "Pack") -> str:
    """Return the pack as one Markdown document, every text escaped (no HTML, no links);
    the charts are in the workbook and the Word document."""
    parts = [f"# {markdown(pack.title)}", ""]
    parts += [markdown_line(line) + "  " for line in pack.summary]
    parts.append("")
    for section in pack.sections:
        heading = "## Appendix: " if section.appendix else "## "
        title = section.title.split(". ", 1)[-1] if section.appendix else section.title
        parts += [heading + markdown(title), ""]
        for line in section.text:
            parts += [markdown_line(line), ""]
        for table in section.tables:
            parts.append(to_text(table, "markdown"))
    parts.append(f"_Made by iro-stats at {pack.run_at:%Y-%m-%d %H:%M} UTC._")
    return "\n".join(parts).rstrip("\n") + "\n"
