"""The committee report, drafted from the monthly pack as a committee may see it.

A Draft is a plain value: the heading lines of a committee paper, then parts (a heading and
its items: numbered paragraphs and tables). Every sentence about a figure reads it from a
table of the pack *after* `protect_pack`, so a count the pack hides is never written:
where a figure is hidden (`Table.is_hidden`), the sentence says so in other words. Text
only the report's author can write (context, actions, policy) is a `Placeholder`, never
made up. Renderers: `iro_stats.render.draft` (plain text and Word).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from iro_stats import __version__
from iro_stats.reports.compare import (COMPARED, MONTH, MONTH_BEFORE, RULE, YEAR,
                                       YEAR_BEFORE, change)
from iro_stats.table import GRAND_TOTAL, Table

if TYPE_CHECKING:
    from iro_stats.reports.pack import Pack

MEETING = "Corporate Parenting Committee"
HIDDEN = "not given, to protect small numbers"  # where a sentence's figure is suppressed


@dataclass(frozen=True)
class Placeholder:
    """Text the report's author must write; drawn so that it cannot be missed."""

    what: str

    def __str__(self) -> str:
        return f"[TO BE WRITTEN: {self.what}]"


@dataclass
class Part:
    heading: str
    items: list = field(default_factory=list)  # paragraphs (lists of str/Placeholder), Tables
    numbered: bool = True  # paragraphs numbered on through the report, as a paper's are


@dataclass
class Draft:
    title: str
    header: list[tuple[str, object]]  # (label, str or Placeholder), the paper's first lines
    parts: list[Part]
    stem: str  # the pack's file name, without its suffix


# --- reading the protected tables --------------------------------------------------------

def _shown(table: Table, label, column: str):
    """Return a count or percent as the table shows it, or None when it is hidden or not
    a number (c, x, z)."""
    value = table.cell(label, column)
    if table.is_hidden(label, column) or isinstance(value, str) or value is None:
        return None
    return value


def _n(value) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def _pct(value) -> str:
    return f"{value:.1f}%"


def _plural(n: int, one: str, many: str) -> str:
    return f"{_n(n)} {one if n == 1 else many}"


def _reason(label: str) -> str:
    """Return a reason label as it reads mid-sentence: 'Incomplete or inadequate care
    plans' -> 'incomplete or inadequate care plans'; 'Other' -> 'other reasons'; an
    acronym ('IRO ...', '18+ planning') as written."""
    if label.strip().lower() == "other":
        return "other reasons"
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def _tables(pack: "Pack") -> dict[str, Table]:
    return {t.name: t for s in pack.sections for t in s.tables}


# --- the paragraphs -------------------------------------------------------------------------

def _totals(compared: Table, now: int, before: int, opening: str, what_before: str,
            threshold: int) -> str:
    """Return the sentences of a period's escalations and children (the month's and the
    year's are shown in full), the repeats among them, and the change from before."""
    rows = compared.rows
    escalations, children = rows[now][1], rows[now][2]
    if escalations == 0:
        return f"{opening} no IRO escalations were logged."
    text = (f"{opening} there {'was' if escalations == 1 else 'were'} "
            f"{_plural(escalations, 'logged IRO escalation', 'logged IRO escalations')} "
            f"affecting {_plural(children, 'child', 'children')}.")
    repeat = _safe(escalations - children, threshold)  # two totals shown in full
    if repeat:
        text += (f" Of these, {_n(repeat)} {'was' if repeat == 1 else 'were'} a child's "
                 "second or later escalation in the period.")
    earlier = rows[before][0]
    then = _shown(compared, earlier, "Escalations")
    if rows[before][1] == "x":
        return text + f" No comparison is made with {what_before} ({earlier}): the data " \
                      "does not cover both periods in full."
    if then is None:
        return text + f" The number for {what_before} ({earlier}) is {HIDDEN}, so no " \
                      "comparison is made."
    word = change(escalations, then)
    if word == "about the same":
        return text + f" That is about the same as in {what_before} ({earlier}: {_n(then)})."
    return text + f" That is {word} than in {what_before} ({earlier}: {_n(then)})."


def _leading(table: Table, opening: str, first_verb: str) -> str:
    """Return the leading reason with its count and percent, then the next (ties
    together), from a reasons table as shown."""
    body = [r for r in table.rows if r[0] != GRAND_TOTAL]
    total = table.rows[-1][1]
    counts = [(r[0], _shown(table, r[0], "Count"), _shown(table, r[0], "Percent"))
              for r in body]
    if not body or counts[0][1] is None or counts[0][2] is None:
        return (f"{opening} the numbers by reason are {HIDDEN}; the table below gives "
                "those that can be.")
    label, n, p = counts[0]
    top = [c for c in counts if c[1] == n]
    if len(top) > 1:
        names = _join([_reason(c[0]) for c in top])
        text = f"{opening} the leading reasons were {names}, {_n(n)} ({_pct(p)}) each."
    else:
        text = f"{opening} {_n(n)} ({_pct(p)}) of {_n(total)} escalations {first_verb} " \
               f"{_reason(label)}."
    rest = [c for c in counts[len(top):] if c[1] is not None and c[2] is not None]
    if rest:
        second = [c for c in rest if c[1] == rest[0][1]]
        if len(second) == 1:
            text += (f" The next area for challenge by IROs was {_reason(second[0][0])}, "
                     f"with {_n(second[0][1])} ({_pct(second[0][2])}).")
        elif len(second) <= 3:
            text += (f" The next areas for challenge by IROs were "
                     f"{_join([_reason(c[0]) for c in second])}, with {_n(second[0][1])} "
                     f"({_pct(second[0][2])}) each.")
    return text


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _stages(tables: dict[str, Table], label: str, threshold: int) -> str | None:
    """Return how far the month's escalations went and how many were resolved early."""
    summary = tables.get("Stages summary")
    if summary is None:
        return None
    if "Escalations by stage" not in tables:  # no stage recorded: the legacy log
        if summary.rows[0][1] == 0:
            return None
        return (f"The escalations raised in {label} were logged without stages (the legacy "
                "log), so how far they went cannot be reported.")
    stages = tables["Escalations by stage"]
    total = stages.rows[-1][1]
    if not total:
        return None
    staged = " with a stage recorded" if any(r[0] == "Escalations with a stage recorded"
                                             for r in summary.rows) else ""
    text = (f"Of the {_plural(total, 'escalation', 'escalations')}{staged} raised in {label}"
            if total != 1 else f"Of the one escalation{staged} raised in {label}")
    early = [_shown(stages, s, "Escalations") for s in ("Informal", "Stage 1")]
    later = [r[0] for r in stages.rows[2:-1]]
    reached = [_shown(stages, s, "Escalations") for s in later]
    # Worked out from counts shown, but itself a count: written only when it could be shown.
    beyond = _safe(total - sum(early), threshold) if None not in early else None
    if beyond is None:
        text += (f", the numbers reaching each stage are {HIDDEN}; the table in the pack "
                 "gives those that can be.")
    else:
        text += f", {_n(beyond) if beyond else 'none'} went beyond stage 1"
        if beyond and None not in reached:
            text += " (" + _join([f"{_n(n)} to {s.lower()}" for s, n in zip(later, reached)
                                  if n]) + ")"
        text += "."
    # "Open more than 20 working days (as at 31/12/2018)": the limit and the as-at date.
    overdue_label = next(r[0] for r in summary.rows if r[0].startswith("Open more than"))
    limit, _, when = overdue_label[len("Open more than "):-1].partition(" (as at ")
    when = f"{dt.datetime.strptime(when, '%d/%m/%Y'):%-d %B %Y}"
    resolved = _shown(summary, "Resolved", "Number")
    resolved_early = _shown(summary, "Resolved at informal stage or stage 1", "Number")
    open_ = _shown(summary, "Open", "Number")
    overdue = _shown(summary, overdue_label, "Number")
    if resolved is not None:
        text += f" By {when}, {_n(resolved) if resolved else 'none'} had been resolved"
        if resolved_early is not None and resolved:
            text += f", {_n(resolved_early)} of them at the informal stage or stage 1"
        text += "."
    if open_ is not None:
        text += (f" {_n(open_)} remained open" if resolved is not None else
                 f" By {when}, {_n(open_)} remained open")
        if open_ and overdue is not None:
            text += (f", {_n(overdue) if overdue else 'none'} of them for more than {limit}"
                     if open_ != 1 else
                     f", {'for' if overdue else 'not for'} more than {limit}")
        text += "."
    elif overdue == 0:
        text += f" By {when}, none had been open for more than {limit}."
    return text


def _safe(count: int, threshold: int) -> int | None:
    """Return a count worked out from counts shown, or None when it is from 1 to the
    threshold: a small count is not written, whatever it was worked out from."""
    return None if threshold and 1 <= count <= threshold else count


def _go_live(pack: "Pack", tables: dict[str, Table], phrase: str) -> str | None:
    if pack.cutover is None:
        return None
    how = "" if pack.cutover_given else " (the date of the first escalation recorded in Mosaic)"
    text = (f"Escalations have been recorded in Mosaic workflows since "
            f"{pack.cutover:%-d %B %Y}{how}; before then they were logged in a spreadsheet. "
            f"The figures for {phrase} combine the two on the harmonised "
            "categories of the crosswalk, and an escalation keyed into both systems is "
            "counted twice")
    note = tables["Reconciliation"].note("possible_duplicates")
    if note is not None and isinstance(note.figures[0], int):
        found = note.figures[0]
        text += (f": the pack finds {_plural(found, 'possible duplicate', 'possible duplicates')}"
                 " (same child, same category, raised on the same day)")
    text += (". The pack sets the legacy log before the go-live beside Mosaic after it, "
             "each as a rate per month.")
    return text


def _reviews(tables: dict[str, Table], label: str, phrase: str) -> str | None:
    """Return the looked-after reviews on time, by the meeting date and in the system."""
    actual = tables.get("Reviews actual")
    if actual is None:
        return None
    held = _shown(actual, "All reviews", actual.columns[1].name)
    on_time = _shown(actual, "All reviews", "On time")
    pct = _shown(actual, "All reviews", "% on time")
    if not held:
        return f"No looked-after reviews were held in {label}, by the data given."
    text = f"Of the {_plural(held, 'looked-after review', 'looked-after reviews')} held " \
           f"{phrase}"
    text += (f", {_n(on_time)} ({_pct(pct)}) were on time by the date of the meeting."
             if on_time is not None and pct is not None else
             f", the number on time is {HIDDEN}.")
    gap = tables.get("Reviews gap")
    if gap is None:
        return text
    done = _shown(gap, "Reviews completed (in the system)", "Reviews")
    sys_on_time = _shown(gap, "On time in the system", "Reviews")
    sys_pct = _shown(gap, "On time in the system", "Percent")
    points = _shown(gap, "On time in the system", "Difference, percentage points")
    missed = _shown(gap, "On time by the meeting date but late or unrecorded in the system",
                    "Reviews")
    if done and sys_on_time is not None and sys_pct is not None:
        text += (f" The system (the workflow steps completed in Mosaic) records "
                 f"{_n(sys_on_time)} ({_pct(sys_pct)}) of {_n(done)} as on time")
        text += f", {points:.1f} percentage points lower." if points is not None and \
            points > 0 else "."
    if missed:
        text += (f" {_plural(missed, 'review', 'reviews')} held on time "
                 f"{'is' if missed == 1 else 'are'} late or not yet recorded in the system, "
                 "so reports from the system show reviews as less timely than they were.")
    return text


# --- the report ------------------------------------------------------------------------------

def build_draft(pack: "Pack", stem: str) -> Draft:
    """Return the drafted committee report for a pack protected by `protect_pack`."""
    tables = _tables(pack)
    compared = tables[COMPARED]
    month, year = pack.month.label(), pack.year_to_date.label()
    whole_year = (pack.year_to_date.end.month, pack.year_to_date.end.day) == (3, 31)
    threshold = max((t.threshold or 0 for t in tables.values()), default=0)
    title = f"Progress Report on Independent Reviewing Officer (IRO) Escalations, {month}"
    header = [("Item No.", Placeholder("item number")),
              ("Classification", "Open" if threshold else
               Placeholder("Open or Closed: small counts are not suppressed in these "
                           "figures; an open report needs a pack made with them suppressed")),
              ("Date", Placeholder("date of the meeting")),
              ("Meeting Name", MEETING),
              ("Report title", title),
              ("Ward(s) or groups affected", Placeholder("wards or groups affected")),
              ("From", Placeholder("the director presenting the report"))]
    reviews = "Reviews actual" in tables
    background = [
        f"This report sets out the escalations raised by independent reviewing officers "
        f"(IROs) in {month} and in the "
        + (f"financial year {year}" if whole_year else f"financial year to date ({year})")
        + ", with how far they went"
        + (" and how many looked-after reviews were held on time" if reviews else "")
        + f". Its figures are those of the monthly pack ({stem}.xlsx), made on "
          f"{pack.run_at:%-d %B %Y} from the council's records. ",
        Placeholder("why this report is before the committee, and what it follows on from")]
    issues: list[list] = []
    for line in pack.summary:
        if "covers only" in line or "no dates" in line:
            issues.append([line])
    year_opening = (f"In the reporting year {year} (April to March)" if whole_year else
                    f"In the financial year to date ({year})")
    issues.append([_totals(compared, MONTH, MONTH_BEFORE, f"In {month}", "the month before",
                           threshold)])
    issues.append([_totals(compared, YEAR, YEAR_BEFORE, year_opening,
                           "the year before" if whole_year else
                           "the same months a year before", threshold)])
    escalations = compared.rows[YEAR][1]
    month_reasons, year_reasons = tables["Month"], tables["Year to date"]
    if month_reasons.rows[-1][1]:
        issues.append([_leading(month_reasons, f"In {month},", "related to")])
    if escalations:
        issues.append([_leading(year_reasons, f"In {year}," if whole_year else
                                "In the financial year to date,", "related to")])
    for sentence in (_stages(tables, month, threshold), _go_live(pack, tables, year if whole_year else "the financial year to date"), _reviews(tables, year, f"in {year}" if whole_year else
                                           f"in the financial year to date ({year})")):
        if sentence:
            issues.append([sentence])
    issues.append([Placeholder("what these figures mean: the context the committee needs "
                               "(practice, inspection findings, anything it asked about)")])
    issues.append([Placeholder("the actions the service is taking and the impact expected")])

    shown = [month_reasons, year_reasons, compared]
    shown += [tables[n] for n in ("Stages summary", "Reviews gap") if n in tables]
    note = [f"The figures are from the monthly pack {stem} (.xlsx, .docx, .md), made by "
            f"iro-stats {__version__} on {pack.run_at:%-d %B %Y}; its appendix names each "
            "input file with its SHA-256 and accounts for every row read.",
            *[line for line in pack.summary if line.startswith("The data covers")],
            "An escalation is counted once, in the month it was raised, under the reason "
            "recorded on it; a child is counted once however many escalations they had. "
            "Percentages are of the escalations in the same period, rounded half up to one "
            "decimal place.",
            f"Changes are described as {RULE}. A comparison is made only when the data "
            "covers both periods (taken to start in the month of its first escalation)."]
    if reviews:
        note.append("A looked-after review is on time when held on or before the day it is "
                    "due under the Care Planning, Placement and Case Review (England) "
                    "Regulations 2010; the system's figures use the dates the Mosaic "
                    "workflow steps were completed instead of the meeting dates.")
    if threshold:
        note.append(f"Counts from 1 to {threshold}, and counts that would let one be worked "
                    "out, are not given: c in the tables, other words in the text. Totals are "
                    "given in full.")
    parts = [Part("RECOMMENDATION",
                  [["That committee members note the contents of this report."]]),
             Part("BACKGROUND INFORMATION", [background]),
             Part("KEY ISSUES FOR CONSIDERATION", issues),
             Part("TABLES", shown, numbered=False),
             Part("Policy implications", [[Placeholder("policy implications, or 'None'")]]),
             Part("Community impact statement",
                  [[Placeholder("the impact on local people and communities")]]),
             Part("DATA NOTE", [[line] for line in note], numbered=False),
             Part("AUDIT TRAIL", [[f"{label}: ", Placeholder(what)] for label, what in
                                  (("Lead Officer", "name and title"),
                                   ("Report Author", "name and title"),
                                   ("Version", "Draft or Final"),
                                   ("Dated", "date"),
                                   ("Key decision", "Yes or No"))], numbered=False)]
    return Draft(title, header, parts, stem)
