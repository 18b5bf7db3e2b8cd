"""Why a row is rejected: the rules, in the order they are applied, each a phrase (as
the accounting line and the rejects file say it) and a test of the rows.

A row is rejected for the first rule it breaks. Rows that break none are valid, until
duplicates are set aside and stage rows are grouped into escalations
(escalations.py), where one more rule is applied: CHILDREN_DIFFER.

docs: the list of rejection reasons in README.md ("Supported inputs") follows RULES.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Callable

import numpy as np

from iro_stats.columns import blank
from iro_stats.dates import NOT_REAL, OUT_OF_RANGE, UNREADABLE
from iro_stats.rows import BLANK, UNREADABLE_STAGE, Rows
from iro_stats.schema import ESCALATIONS, kinds


class Status(IntEnum):
    """What became of a row read."""

    VALID = 0
    REJECTED = 1
    DUPLICATE = 2


@dataclass(frozen=True)
class Rule:
    phrase: str
    # The rows that break the rule: a boolean per row, or None when no row does.
    test: Callable[[Rows], "np.ndarray | None"]
    # The detail the rejects file gives for each of some rows, when it gives one.
    detail: Callable[[Rows, np.ndarray], list[str]] | None = None


def blank_cell(name: str):
    """The rows whose cell of a field is blank, where fields.toml says a blank cell
    rejects its row (and the row's file has the field)."""
    def test(rows: Rows) -> "np.ndarray | None":
        if kinds()[ESCALATIONS].field(name).blank != "reject":
            return None
        if name == "child_id":
            return blank(rows.texts[name])
        field = getattr(rows, name)
        found = _where(field.problem == BLANK, field.cells.codes)
        return found & rows.has_stage if found is not None and name == "stage" else found
    return test


def problem(name: str, kind: str):
    """The rows whose cell of a field has the problem `kind` (dates.py, clean.py)."""
    def test(rows: Rows) -> "np.ndarray | None":
        field = getattr(rows, name)
        return _where(field.problem == kind, field.cells.codes)
    return test


def said(name: str):
    """The rejects file's detail: the problem in the cell's own words."""
    def detail(rows: Rows, at: np.ndarray) -> list[str]:
        field = getattr(rows, name)
        return list(field.said[field.cells.codes[at]])
    return detail


def resolved_first(rows: Rows) -> np.ndarray:
    return rows.resolved_on.per_row() < rows.raised_on.per_row()


def resolved_and_raised(rows: Rows, at: np.ndarray) -> list[str]:
    raised = rows.raised_on.per_row()[at]
    resolved = rows.resolved_on.per_row()[at]
    return [f"resolved {_d(b)}, raised {_d(a)}" for a, b in zip(raised, resolved)]


def unusable(rows: Rows) -> "np.ndarray | None":
    """The rows a cell makes unusable: an error cell, a formula with no value, TRUE or
    FALSE as an ID (a workbook's cells: workbook.py)."""
    if not rows.unusable:
        return None
    found = np.zeros(len(rows), dtype=bool)
    found[list(rows.unusable)] = True
    return found


def unusable_cell(rows: Rows, at: np.ndarray) -> list[str]:
    return [rows.unusable[i] for i in at.tolist()]


RULES = (
    Rule("a cell holds an error, a formula with no value, or TRUE or FALSE as an ID",
         unusable, unusable_cell),
    Rule("child ID is blank", blank_cell("child_id")),
    Rule("date raised is blank", blank_cell("raised_on")),
    Rule("date raised is not a real date", problem("raised_on", NOT_REAL), said("raised_on")),
    Rule("date raised is not a date we can read", problem("raised_on", UNREADABLE),
         said("raised_on")),
    Rule("date raised is outside 01/01/2000 to today", problem("raised_on", OUT_OF_RANGE),
         said("raised_on")),
    Rule("date resolved is not a real date", problem("resolved_on", NOT_REAL),
         said("resolved_on")),
    Rule("date resolved is not a date we can read", problem("resolved_on", UNREADABLE),
         said("resolved_on")),
    Rule("date resolved is outside 01/01/2000 to today", problem("resolved_on", OUT_OF_RANGE),
         said("resolved_on")),
    Rule("stage cannot be read", problem("stage", UNREADABLE_STAGE), said("stage")),
    Rule("stage is blank", blank_cell("stage")),
    Rule("resolved before it was raised", resolved_first, resolved_and_raised),
)
DUPLICATE = "duplicate"
CHILDREN_DIFFER = "stage rows of one escalation name different children"


@dataclass
class Problems:
    """Each row's status and what is wrong with it: problem codes into `phrases` (0 for
    none), and the detail of the rows that have one."""

    status: np.ndarray  # Status per row (int8)
    codes: np.ndarray  # int8 per row
    phrases: list[str | None]
    details: dict[int, str]  # row -> detail

    def mark(self, at: np.ndarray, status: Status, phrase: str,
             details: list[str] | None = None) -> None:
        """Give the rows at `at` a status and a problem, with their details."""
        if phrase not in self.phrases:
            self.phrases.append(phrase)
        self.status[at] = status
        self.codes[at] = self.phrases.index(phrase)
        if details is not None:
            self.details.update(zip(at.tolist(), details))

    def detail(self, at: np.ndarray) -> list[str]:
        return [self.details.get(i, "") for i in at.tolist()]


def apply(rows: Rows) -> Problems:
    """Return each row's status after the rules: rejected for the first it breaks."""
    found = Problems(np.zeros(len(rows), dtype=np.int8), np.zeros(len(rows), dtype=np.int8),
                     [None], {})
    free = np.ones(len(rows), dtype=bool)  # rows no rule has rejected yet
    for rule in RULES:
        broken = rule.test(rows)
        if broken is None:
            continue
        at = np.flatnonzero(broken & free)
        if len(at):
            free[at] = False
            found.mark(at, Status.REJECTED, rule.phrase,
                       rule.detail(rows, at) if rule.detail else None)
    return found


def _where(distinct: np.ndarray, codes: np.ndarray) -> "np.ndarray | None":
    """Return, per row, whether its distinct cell is one of those marked; None when no
    distinct cell is (so no row is)."""
    distinct = np.asarray(distinct, dtype=bool)
    return distinct[codes] if distinct.any() else None


def _d(day) -> str:
    return "" if np.isnat(day) else f"{day.astype(object):%d/%m/%Y}"
