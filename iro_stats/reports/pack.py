"""The monthly committee pack: the month's and the year's tables, trend and provenance.

A Pack is a plain value (sections of Tables, chart descriptions, sentences); the xlsx,
docx and Markdown writers draw it after `protect_pack`. Nothing in it carries a child ID,
nor a reason label that is not in the crosswalk (it could be one, typed as a reason).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from iro_stats import __version__
from iro_stats.crosswalk import NOT_RECORDED, UNMAPPED, default_directory
from iro_stats.periods import Period, financial_year_start
from iro_stats.reports.pack_links import pack_links
from iro_stats.reports.trend import Coverage, coverage, month_label, months_to, trend
from iro_stats.schema import ESCALATIONS, SOURCE_NAMES, kinds
from iro_stats.table import COUNT, TEXT, Column, Note, Ref, Table

if TYPE_CHECKING:
    from iro_stats.dataset import Dataset, Selection


@dataclass
class Chart:
    """A chart drawn from a table: 'bar' (first column by the count column) or 'stacked'
    (the rows as series over the count columns, totals left out)."""

    kind: str
    title: str
    table: Table
    value_column: int = 1


@dataclass
class Section:
    title: str
    tables: list[Table]
    text: list = field(default_factory=list)  # sentences: str, or Note with figures
    chart: Chart | None = None
    appendix: bool = False
    links: list = field(default_factory=list)  # suppress.Link: sums across its tables


@dataclass
class Pack:
    month: Period
    year_to_date: Period
    title: str
    summary: list[str]
    sections: list[Section]
    run_at: dt.datetime
    cutover: dt.date | None = None  # the Mosaic go-live, when the year spans it
    cutover_given: bool = False  # given by the analyst, not the first Mosaic escalation
    links: list = field(default_factory=list)  # suppress.Link across sections (pack_links)

    @property
    def slug(self) -> str:
        return f"{self.month.start:%Y-%m}"

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]


def sha256(path: str | Path) -> str:
    """Return the SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ytd_label(period: Period) -> str:
    """Return the financial year to date as a committee reads it: "1 April to 31
    December 2018", or "2017-18" once it is the whole year."""
    return period.label()


def ytd_phrase(period: Period) -> str:
    """Return "financial year to date, 1 April to 31 December 2018", or "financial year
    2017-18" once it is the whole year."""
    return f"financial year {period.label()}" if _whole_year(period) else \
        f"financial year to date, {period.label()}"


def _whole_year(period: Period) -> bool:
    return (period.end.month, period.end.day) == (3, 31)


def _sources(selection: "Selection", dataset: "Dataset") -> list[str]:
    found = sorted(set(selection.escalations["source"]))
    return found or dataset.sources


def _by(selection: "Selection", dataset: "Dataset") -> str:
    """Return what reasons are counted by: source labels when one source covers the
    selection, else harmonised categories."""
    return "reason" if len(_sources(selection, dataset)) == 1 else "category"


def reasons_section(number: int, selection: "Selection", dataset: "Dataset",
                    label: str, phrase: str, what: str, chart: bool) -> Section:
    """Return a reasons section: source labels when one source covers it, else harmonised."""
    from iro_stats.reports.reasons import reasons

    sources = _sources(selection, dataset)
    by = _by(selection, dataset)
    result = reasons(selection, by)
    table = result.table()
    if by == "reason":
        how = f"{SOURCE_NAMES[sources[0]].name} labels"
    else:
        how = "harmonised categories, legacy log and Mosaic"
    table.title = f"Reasons for IRO escalations, {label} ({how})"
    table.name = what
    n, children = result.escalations, selection.children
    if n:
        text = [f"{n:,} escalation{'s' if n != 1 else ''} raised {phrase}, for {children:,} "
                f"child{'ren' if children != 1 else ''}."]
    else:
        text = [f"No escalations were raised {phrase}."]
        table.notes.append(f"No escalations were raised {phrase}.")
    if by == "category" and n:
        text.append("Both systems hold escalations for this period, so reasons are shown on "
                    "the harmonised categories of the crosswalk; an escalation keyed into "
                    "both systems is counted twice (see the reconciliation).")
    section = Section(f"{number}. Reasons for escalation, {label}", [table], text)
    if chart and n:
        section.chart = Chart("bar", f"Reasons for IRO escalations, {label}", table)
    return section


def add_team_and_outcomes(section: Section, selection: "Selection", dataset: "Dataset",
                          label: str) -> None:
    """Add to a reasons section its reasons by team and, when any of its escalations has
    an outcome recorded, its outcomes. Each reason's row total in the team table is the
    reasons table's count: linked, so a count hidden in one is hidden in the other. IROs
    are staff: the pack never names them."""
    from iro_stats.reports.breakdowns import NOT_RECORDED, TOTAL, breakdown
    from iro_stats.suppress import Link

    if not selection.escalation_count:
        return
    reasons_table = section.tables[0]
    teams = breakdown(selection, _by(selection, dataset), "team").table()
    teams.title, teams.name = f"Reasons for IRO escalations by team, {label}", "By team"
    total = teams.column(TOTAL)
    section.tables.append(teams)
    section.links += [Link(((1, i, total),), (0, reasons_table.row(row[0]), 1))
                      for i, row in enumerate(teams.rows[:-1])]
    outcomes = breakdown(selection, "outcome")
    if any(row != NOT_RECORDED for row in outcomes.row_labels):
        table = outcomes.table()
        table.title, table.name = f"Outcomes of IRO escalations, {label}", "Outcomes"
        section.tables.append(table)
    for table in section.tables[1:]:  # the section's text says it once
        table.notes = [n for n in table.notes
                       if not (isinstance(n, Note) and n.key == "possible_duplicates")]


def reconcile_section(number: int, dataset: "Dataset", ytd: Period, cutover: dt.date,
                      window: int, given: bool) -> Section:
    from iro_stats.reports.reconcile import reconcile

    result = reconcile(dataset, ytd, cutover, window, like_for_like=True)
    table = result.table()
    table.name = "Reconciliation"
    why = "as given" if given else "the date of the first Mosaic escalation"
    text = [f"The financial year spans the move to Mosaic (cutover {cutover:%-d %B %Y}, {why})."
            " The table sets the legacy log before the cutover beside Mosaic from it, on "
            "like-for-like categories; the relation column says how closely each source's "
            "labels match the category.",
            result.heading()]
    return Section(f"{number}. Legacy log and Mosaic compared, {ytd_label(ytd)}", [table],
                   text)


def stages_section(number: int, selection: "Selection", label: str,
                   as_at: dt.date | None, overdue_days: int) -> Section:
    from iro_stats.reports.stages import stages

    result = stages(selection, overdue_days, as_at)
    tables = result.tables()
    text = [f"Stages reached, resolution and open escalations for those raised in {label}, "
            f"as at {result.as_at_text()}."]
    return Section(f"{number}. Escalation stages, {label}", tables, text,
                   links=result.links())


def trend_section(number: int, dataset: "Dataset", month: Period, ytd: Period,
                  cover: Coverage) -> Section:
    """Return the twelve months' trend with its chart, and the month and the year to date
    beside the periods they are compared with (the committee report's words on change)."""
    from iro_stats.reports.compare import MONTH_BEFORE, comparison_table
    from iro_stats.suppress import Link

    table = trend(dataset, month, cover=cover)
    compared = comparison_table(dataset, month, ytd, cover)
    first = month_label(months_to(month)[0])
    section = Section(f"{number}. Trend, {first} to {month_label(month)}", [table, compared],
                      ["Escalations raised each month for the twelve months to "
                       f"{month_label(month)}, by harmonised category, and the month and "
                       "the financial year to date beside the periods they are compared "
                       "with."])
    section.chart = Chart("stacked", table.title, table)
    # The month before's escalations are its Total in the trend: one figure, shown alike.
    before = len(table.columns) - 3
    section.links.append(Link(((1, MONTH_BEFORE, 1),), (0, len(table.rows) - 1, before)))
    return section


def reviews_section(number: int, reviews, ytd: Period, month: Period) -> Section:
    """Return looked-after reviews on time in the financial year to date, by the meeting
    date and as the workflow steps record them, the gap, the twelve-month trend, and the
    accounting of the review extracts' rows (reviews: iro_stats.reviews' Inputs)."""
    from iro_stats.reviews.report import ReviewsReport
    from iro_stats.reviews.views import figures

    report = ReviewsReport(figures(reviews, ytd, month.end))
    tables, links = report.pack_tables(months_to(month))
    n = reviews.ledger.counts()
    rows = Table(f"Review extracts: rows read, used and rejected, {ytd_label(ytd)}",
                 [Column("Measure", TEXT), Column("Rows", COUNT)],
                 [["Rows read (all review extracts)", n["read"]],
                  ["Rows used", n["used"]],
                  ["Rows outside the financial year to date", n["outside_period"]],
                  ["Rows rejected", n["rejected"]],
                  ["Duplicate rows (repeats of an earlier row, not counted)",
                   n["duplicates"]]],
                 headline=(0,), row_sums=[(0, (1, 2, 3, 4))], name="Reviews rows")
    system = " and as the workflow steps record them (the system)" \
        if report.figures.system is not None else ""
    text = [f"Looked-after reviews held in the financial year to date by the meeting date "
            f"(from the {report.figures.actual_source}){system}, as at "
            f"{month.end:%-d %B %Y}; the trend counts each month's reviews. "
            "docs/reviews.md states the rules."]
    return Section(f"{number}. Looked-after reviews, {ytd_label(ytd)}", [*tables, rows],
                   text, links=links)


def quality_section(number: int, dataset: "Dataset", month_sel: "Selection",
                    ytd_sel: "Selection", month_text: str, ytd_text: str, settings: dict,
                    run_at: dt.datetime, review_files: list = ()) -> Section:
    """Return rows read/used/rejected, input files with SHA-256, crosswalk, version, run."""
    counts = ytd_sel.rows
    measures = [["Rows read (all files)", counts["read"]],
                [f"Rows used, {month_text}", month_sel.rows["used"]],
                [f"Escalations, {month_text}", len(month_sel.escalations)],
                [f"Rows used, {ytd_text}", counts["used"]],
                [f"Escalations, {ytd_text}", len(ytd_sel.escalations)],
                ["Rows outside the financial year to date", counts["outside_period"]],
                ["Rows rejected", counts["rejected"]]]
    measures += [[f"Rows rejected because {problem}", n]
                 for problem, n in ytd_sel.problems.items()]
    because = tuple(range(7, len(measures)))
    duplicates = len(measures)
    measures.append(["Duplicate rows (repeats of an earlier row, not counted)",
                     counts["duplicates"]])
    # Only the valid rows of these two categories: not the whole million-row table.
    gaps = dataset.valid_rows(("source", "reason_recorded", "category"), "category",
                              (UNMAPPED, NOT_RECORDED))
    measures.append(["Rows with a reason label not in the crosswalk",
                     int((gaps["category"] == UNMAPPED).sum())])
    measures.append(["Rows with no reason recorded",
                     int((gaps["category"] == NOT_RECORDED).sum())])
    notes = [Note("Every row read is either used, outside the period, rejected or a "
                  "duplicate: {} + {} + {} + {} = {} for the financial year to date.",
                  (Ref(3, 1), Ref(5, 1), Ref(6, 1), Ref(duplicates, 1), Ref(0, 1)))]
    if measures[-2][1]:
        notes.append(f"A reason label not in the crosswalk is counted as "
                     f"'{dataset.crosswalk.name(UNMAPPED)}' and never shown: an analyst "
                     "lists them and adds them to the crosswalk.")
    sums = [(0, (3, 5, 6, duplicates))]
    if because:
        sums.append((6, because))
    quality = Table(f"Data quality: rows read, used and rejected, {ytd_text}",
                    [Column("Measure", TEXT), Column("Rows", COUNT)], measures,
                    notes=notes, name="Data quality", headline=(0, 1, 2, 3, 4),
                    row_sums=sums)

    files, sums = [], []
    every = [*dataset.files, *review_files]
    queries = [info for info in every if getattr(info, "server", "")]
    for info in every:
        # The file's name, not its folder: a path can carry the analyst's user name.
        name = Path(info.path).name
        what = SOURCE_NAMES[info.source].name if info.source else \
            kinds()[info.kind].about if info.kind != ESCALATIONS else ""
        files.append([name, what, info.sheet or "",
                      str(info.header_row) if info not in queries else "", info.rows_read])
        sums.append([f"SHA-256, {name}", sha256(info.path)])
        if info in queries:  # a database.QueryInfo: its server, without user or password
            sums.append([f"Database, {name}", info.server])
    inputs = Table("Input files", [Column("File", TEXT), Column("Source", TEXT),
                                   Column("Sheet", TEXT), Column("Header row", TEXT),
                                   Column("Data rows", COUNT)],
                   files, name="Input files", disclosive=False)
    crosswalk = dataset.crosswalk
    shipped = Path(crosswalk.directory).resolve() == default_directory().resolve()
    run = [*sums,
           ["Crosswalk files", "categories.csv and crosswalk.csv, "
            + ("as shipped with iro-stats" if shipped else "the council's own")],
           ["SHA-256, crosswalk", crosswalk.sha256],
           *[[name, value] for name, value in settings.items()],
           ["iro-stats version", __version__],
           ["Run at (UTC)", f"{run_at:%Y-%m-%d %H:%M:%S}"]]
    about = Table("Provenance: files, crosswalk, settings and run",
                  [Column("Item", TEXT), Column("Value", TEXT)], run, name="Provenance",
                  disclosive=False,
                  notes=["The crosswalk's SHA-256 is of categories.csv and crosswalk.csv "
                         "together. A SHA-256 identifies a file's exact contents: recompute it "
                         "('sha256sum FILE', or PowerShell 'Get-FileHash FILE') to check "
                         "that the pack was made from the same extract."]
                  + (["A query's SHA-256 is of its .sql file, the query as run: run again "
                      "later, the same query may return other rows."] if queries else []))
    return Section(f"{number}. Data quality and provenance", [quality, inputs, about],
                   appendix=True)


def coverage_text(cover: Coverage, month: Period, label: str) -> list[str]:
    """Return sentences on the dates the data covers, and how much of the month."""
    if cover.first is None:
        return ["The input files hold no usable dates."]
    parts = [f"{SOURCE_NAMES[s].name} {a:%-d %B %Y} to {b:%-d %B %Y}"
             for s, (a, b) in sorted(cover.by_source.items(), key=lambda kv: kv[1])]
    lines = [f"The data covers {cover.first:%-d %B %Y} to {cover.last:%-d %B %Y} "
             f"({'; '.join(parts)})."]
    state = cover.of(month)
    if state == "none":
        lines.append(f"The data holds no dates in {label}: every figure for the month is "
                     "0 because there is no data, not because there were no escalations.")
    elif state == "partial":
        first, last = cover.within(month)
        lines.append(f"The data covers only {first:%-d} to {last:%-d %B %Y} of {label}: "
                     "the month's figures are incomplete.")
    return lines


def build_pack(dataset: "Dataset", month: Period, cutover: dt.date | None = None,
               window: int = 0, overdue_days: int = 20,
               run_at: dt.datetime | None = None, reviews=None) -> Pack:
    """Return the monthly pack for `month` (a calendar month) from the dataset, with a
    reviews section when given reviews (iro_stats.reviews' Inputs)."""
    run_at = run_at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    label = month_label(month)
    ytd = Period(financial_year_start(month.start), month.end)
    ytd_text = ytd_phrase(ytd)
    month_sel, ytd_sel = dataset.select(month), dataset.select(ytd)
    cover = coverage(dataset)

    sections = [reasons_section(1, month_sel, dataset, label, f"in {label}", "Month",
                                chart=True),
                reasons_section(2, ytd_sel, dataset, ytd_text,
                                "in the " + (ytd_text if _whole_year(ytd) else
                                             f"financial year to date ({ytd.label()})"),
                                "Year to date", chart=False)]
    add_team_and_outcomes(sections[1], ytd_sel, dataset, ytd_text)
    given = cutover is not None
    if cutover is None:
        cutover = dataset.first_raised("mosaic")
    spans = (cutover is not None and ytd.start < cutover <= ytd.end
             and len(dataset.sources) > 1)
    number = 3
    if spans:
        sections.append(reconcile_section(number, dataset, ytd, cutover, window, given))
        number += 1
    # Open and overdue as at the month's end (or the data's last day, if sooner), so a
    # re-run with a later extract does not move the month's figures.
    covered = cover.within(month)
    as_at = covered[1] if covered else month.end
    sections.append(stages_section(number, month_sel, label, as_at, overdue_days))
    sections.append(trend_section(number + 1, dataset, month, ytd, cover))
    if reviews is not None:
        number += 1
        sections.append(reviews_section(number + 1, reviews, ytd, month))
    settings = {"Month": label, "Financial year to date": ytd_label(ytd),
                "Cutover (Mosaic go-live)": (f"{cutover:%-d %B %Y}" if cutover else "none")
                + ("" if given or cutover is None else " (first Mosaic escalation)")
                + ("" if spans or cutover is None else " (outside this financial year)"),
                "Possible duplicates window (days)": str(window),
                "Overdue after (working days)": str(overdue_days)}
    sections.append(quality_section(number + 2, dataset, month_sel, ytd_sel, label,
                                     ytd_text, settings, run_at,
                                     reviews.files if reviews is not None else ()))
    summary = coverage_text(cover, month, label)
    summary.append(f"Escalations raised in {label}: {len(month_sel.escalations):,}; "
                   f"{ytd_text}: {len(ytd_sel.escalations):,}.")
    pack = Pack(month, ytd, f"IRO escalations: monthly pack, {label}", summary, sections,
                run_at, cutover if spans else None, given)
    pack.links = pack_links(pack.tables(), dataset, month_sel, ytd_sel)
    return pack


def protect_pack(pack: Pack, threshold: int | None) -> Pack:
    """Return the pack as a committee may see it: every table protected (counts from 1 to
    threshold hidden, see iro_stats.suppress), the charts drawn from the protected
    tables, and each sentence's figures as shown."""
    from iro_stats.suppress import protect_tables, protect_text

    # One pass over every table: a count hidden in one section is hidden wherever
    # another gives it away (each section's links, then those across sections).
    links, start = list(pack.links), 0
    for section in pack.sections:
        links += [link.shifted(start) for link in section.links]
        start += len(section.tables)
    shown = iter(protect_tables(pack.tables(), threshold, links))
    sections = []
    for section in pack.sections:
        tables = [next(shown) for _ in section.tables]
        chart = section.chart
        if chart is not None:
            chart = replace(chart, table=tables[section.tables.index(chart.table)])
        sections.append(replace(section, tables=tables, chart=chart,
                                text=[protect_text(t, threshold) for t in section.text]))
    summary = [protect_text(line, threshold) for line in pack.summary]
    if threshold:
        summary.append(f"Counts from 1 to {threshold}, and counts that would let one be "
                       "worked out, are shown as c (see the symbols under each table).")
    return replace(pack, sections=sections, summary=summary)
