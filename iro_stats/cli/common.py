"""What every command does around its report: read the inputs, write the tables, account
for the rows. A new command calls these rather than echoing its own versions."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click


if TYPE_CHECKING:
    from iro_stats.dataset import Dataset, Selection
    from iro_stats.cli.options import Inputs, Output, PerChild
    from iro_stats.table import Table


def note(text: str) -> None:
    """Tell the analyst something on stderr, apart from the tables on stdout (with no
    character that could move the terminal's cursor: a file name or label is typed text)."""
    from iro_stats.cli.progress import clear
    from iro_stats.render.safe import printable

    clear()  # a progress line on the terminal, if any
    click.echo(printable(text), err=True)


def tell_read(info) -> None:
    """Tell stderr how one extract (a load.FileInfo) was read, and what the analyst
    should know of it (lines re-read, cells left out, a file named for another format)."""
    note(f"read {info.describe()}")
    for line in info.notes:
        note(line)


def tell_skipped(skipped) -> None:
    """Tell stderr of a file or sheet not read (a load.Skipped): of another kind, or a
    sheet passed over."""
    note(f"{'skipped' if skipped.kind else 'note:'} {skipped.describe()}")


def check_paths(outputs: list, inputs: "Inputs") -> None:
    """Refuse, before any work, two outputs that are one file or an output that is an
    input; outputs: (option, path or None) for each the command writes. --rejects is
    added here."""
    from iro_stats.render.output import check_outputs

    check_outputs([*outputs, ("--rejects", inputs.rejects)], inputs.files)


def warn_unlisted(selection: "Selection") -> None:
    """Tell the analyst, on stderr only, which reason labels the crosswalk does not know:
    the committee's tables count them under one row and never show them."""
    from iro_stats.crosswalk import UNMAPPED
    from iro_stats.reports.crosswalk import unmapped_labels
    from iro_stats.schema import SOURCE_NAMES

    if (UNMAPPED,) not in selection.counts(("category",)):
        return  # counted from codes: no table of the period's escalations is made
    crosswalk = selection.dataset.crosswalk
    items = unmapped_labels(selection.columns(("source", "reason", "category")),
                            crosswalk)
    if items:
        listed = "; ".join(f"{SOURCE_NAMES[u['source']].short} '{u['label']}' ({u['count']})"
                           for u in items)
        note(f"warning: reason labels not in the crosswalk, counted as "
             f"'{crosswalk.name(UNMAPPED)}' and not shown to the committee: {listed}; add "
             "them with 'iro-stats mappings unmapped'")


def load(inputs: "Inputs", reads: tuple[str, ...] = ()) -> "Dataset":
    """Return the Dataset of the inputs, telling stderr how each file was read; files of
    the kinds in `reads` (which the command reads itself) are not named as skipped."""
    from iro_stats import crosswalk as walk
    from iro_stats.clean import load_dataset
    from iro_stats.cli.progress import progress

    crosswalk = walk.load(inputs.mappings)
    with progress("reading the extracts"):
        dataset = load_dataset(inputs.extracts, inputs.read_profile(), inputs.source,
                               crosswalk)
    for info in dataset.files:
        tell_read(info)
    for skipped in dataset.skipped:
        if skipped.kind not in reads:
            tell_skipped(skipped)
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
         as_json=None, heading: str = "", suppress: int | None = None,
         links=()) -> None:
    """Write tables in output's format to its file or stdout, protected together (counts
    1..suppress hidden, see iro_stats.suppress). as_json: tables as shown -> the JSON, so
    that it hides what they hide; links: the report's sums across its tables."""
    from iro_stats.render import output as out
    from iro_stats.render import text
    from iro_stats.suppress import counted, protect_tables, suppression_json

    files = inputs.files if inputs else ()
    tables = protect_tables(tables, suppress, links)
    if suppress:
        note(f"suppressed {sum(counted(t) for t in tables)} counts (1 to {suppress}, and "
             "those that would give them away) as c")
    if output.format == "xlsx":  # output_options made sure of a path
        from iro_stats.render.xlsx import write_workbook

        write_workbook(output.path, tables, [heading] * len(tables), files)
        note(f"wrote {output.path}")
        return
    if output.format == "json":
        value = as_json(tables)
        if suppress:
            value["suppression"] = suppression_json(tables)
        body = text.to_json(value)
    elif output.format == "csv":
        body = "\n".join(text.to_csv(t) for t in tables)
    else:
        body = "\n".join(text.to_text(t, output.format, heading) for t in tables)
    if output.path:
        out.write_text(output.path, body, files)
        note(f"wrote {output.path}")
    else:
        click.echo(body, nl=False)


def check_per_child(per_child: "PerChild", output: "Output", inputs: "Inputs"):
    """Check the per-child options and every output path before any file is read; return
    the renamer or None."""
    from iro_stats.cli.options import OptionError

    path = per_child.path
    if per_child.pseudonymise and not path:
        raise OptionError("--pseudonymise applies to --per-child FILE.csv; give both")
    if per_child.key_file and not per_child.pseudonymise:
        raise OptionError("--key-file is only used with --pseudonymise")
    if path:
        if path.suffix.lower() != ".csv":
            raise OptionError(f"--per-child {path}: give a file name ending .csv")
    check_paths([("--output", output.path), ("--per-child", path)], inputs)
    if path:
        from iro_stats.render.output import check_target

        check_target(path, inputs.files)  # before the tables are printed, not after
    if not per_child.pseudonymise:
        return None
    import os

    from iro_stats.pseudonym import ENV_VAR, MAKE_KEY, key_warning, load_key, pseudonymiser

    if per_child.key_file is None and not os.environ.get(ENV_VAR):
        raise OptionError(f"--pseudonymise needs a key: give --key-file FILE or set "
                          f"{ENV_VAR}; make one with: {MAKE_KEY}")
    key = load_key(per_child.key_file)
    warning = key_warning(per_child.key_file)
    if warning:
        note(f"warning: {warning}")
    return pseudonymiser(key)


def write_per_child(table: "Table", path, inputs: "Inputs", rename, rows: str) -> None:
    """Write the per-child detail as CSV and say on stderr what it holds; `rows` names
    what its rows are ("children", "reviews")."""
    from iro_stats.render import output as out
    from iro_stats.render.text import to_csv

    out.write_text(path, to_csv(table), inputs.files, private=True)
    if rename:
        note(f"wrote per-child detail for {len(table.rows)} {rows} to {path}: child IDs "
             "are pseudonymised, but it is still personal data, and anyone with the key can "
             "link it back; keep the key apart")
    else:
        note(f"wrote per-child detail for {len(table.rows)} {rows} to {path}: it holds "
             "child IDs (personal data), unlike the tables: store and share it as personal "
             "data, never with the committee")
