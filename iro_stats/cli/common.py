"""What every command does around its report: read the inputs, write the tables, account
for the rows. A new command calls these rather than echoing its own versions."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click


if TYPE_CHECKING:
    from iro_stats.clean import Dataset, Selection
    from iro_stats.cli.options import Inputs, Output
    from iro_stats.table import Table


def note(text: str) -> None:
    """Tell the analyst something on stderr, apart from the tables on stdout."""
    click.echo(text, err=True)


def load(inputs: "Inputs") -> "Dataset":
    """Return the Dataset of the inputs, telling stderr how each file was read."""
    from iro_stats import crosswalk as walk
    from iro_stats.clean import load_dataset
    from iro_stats.schema import load_profile

    crosswalk = walk.load(inputs.mappings)
    dataset = load_dataset(list(inputs.files), load_profile(inputs.profile), inputs.source,
                           crosswalk)
    for info in dataset.files:
        note(f"read {info.describe()}")
    for skipped in dataset.skipped:
        note(f"skipped {skipped.describe()}")
    return dataset


def finish(selection: "Selection", inputs: "Inputs") -> None:
    """Print the accounting lines to stderr and write --rejects when asked."""
    for line in selection.accounting():
        note(line)
    if inputs.rejects:
        from iro_stats.export import write_rejects

        path = write_rejects(selection.dataset, inputs.rejects, inputs.files)
        note(f"wrote rejected and duplicate rows to {path}")


def emit(tables: list["Table"], output: "Output", inputs: "Inputs | None" = None,
         json_value=None, heading: str = "", suppress: int | None = None) -> None:
    """Write tables in output's format to its file or stdout, counts 1..suppress hidden."""
    from iro_stats.render import output as out
    from iro_stats.render import text

    files = inputs.files if inputs else ()
    if suppress:
        from iro_stats.suppress import suppress_json, suppress_tables

        results = suppress_tables(tables, suppress)
        tables = [r.table for r in results]
        json_value = suppress_json(json_value, results, suppress)
        hidden = sum(len(r.primary) + len(r.secondary) for r in results)
        note(f"suppressed {hidden} counts (1 to {suppress}, and those that would give them "
             "away) as c")
    if output.format == "xlsx":  # output_options made sure of a path
        from iro_stats.render.xlsx import write_workbook

        write_workbook(output.path, tables, [heading] * len(tables), files)
        note(f"wrote {output.path}")
        return
    if output.format == "json":
        body = text.to_json(json_value)
    elif output.format == "csv":
        body = "\n".join(text.to_csv(t) for t in tables)
    else:
        body = "\n".join(text.to_text(t, output.format, heading) for t in tables)
    if output.path:
        out.write_text(output.path, body, files)
        note(f"wrote {output.path}")
    else:
        click.echo(body, nl=False)
