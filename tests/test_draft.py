"""The committee report drafted by `monthly`: its text for the sample data, pinned."""

import pytest
from conftest import LEGACY, SAMPLE, run_cli

from iro_stats import __version__

EPOCH = "1546423200"  # 2019-01-02 10:00:00 UTC
REVIEWS = (SAMPLE / "reviews" / "903", SAMPLE / "reviews" / "mosaic" / "lac_review_steps.xlsx")

# December 2018, worked from the pack's tables: 32 escalations for 28 children (32 - 28 =
# 4 repeats); November 2018 had 32 (|32 - 32| <= 3.2: about the same). The year to date
# 147 for 125 (22 repeats) against 160 a year before (|147 - 160| = 13 <= 16.0: about the
# same). Stages: 8 informal + 15 stage 1 of 32, so 9 beyond (8 stage 2, 1 stage 3); 21
# resolved (14 at informal or stage 1), 11 open, 0 over 20 working days at 31/12/2018.
# Reviews: 110 of 115 on time (95.7%); 83 of 109 completed (76.1%); 95.7 - 76.1 = 19.6.
DECEMBER = f"""\
Item No.: [TO BE WRITTEN: item number]
Classification: [TO BE WRITTEN: Open or Closed: small counts are not suppressed in these \
figures; an open report needs a pack made with them suppressed]
Date: [TO BE WRITTEN: date of the meeting]
Meeting Name: Corporate Parenting Committee
Report title: Progress Report on Independent Reviewing Officer (IRO) Escalations, December 2018
Ward(s) or groups affected: [TO BE WRITTEN: wards or groups affected]
From: [TO BE WRITTEN: the director presenting the report]

RECOMMENDATION

1. That committee members note the contents of this report.

BACKGROUND INFORMATION

2. This report sets out the escalations raised by independent reviewing officers (IROs) in \
December 2018 and in the financial year to date (1 April to 31 December 2018), with how far \
they went and how many looked-after reviews were held on time. Its figures are those of the \
monthly pack (iro-escalations-2018-12.xlsx), made on 2 January 2019 from the council's \
records. [TO BE WRITTEN: why this report is before the committee, and what it follows on from]

KEY ISSUES FOR CONSIDERATION

3. In December 2018 there were 32 logged IRO escalations affecting 28 children. Of these, 4 \
were a child's second or later escalation in the period. That is about the same as in the \
month before (November 2018: 32).

4. In the financial year to date (1 April to 31 December 2018) there were 147 logged IRO \
escalations affecting 125 children. Of these, 22 were a child's second or later escalation \
in the period. That is about the same as in the same months a year before (1 April to 31 \
December 2017: 160).

5. In December 2018, 14 (43.8%) of 32 escalations related to inadequate care plan. The next \
areas for challenge by IROs were care plan delay and other reasons, with 5 (15.6%) each.

6. In the financial year to date, 57 (38.8%) of 147 escalations related to incomplete or \
inadequate care plan. The next area for challenge by IROs was drift or delay in care \
planning, with 30 (20.4%).

7. Of the 32 escalations raised in December 2018, 9 went beyond stage 1 (8 to stage 2 and 1 \
to stage 3). By 31 December 2018, 21 had been resolved, 14 of them at the informal stage or \
stage 1. 11 remained open, none of them for more than 20 working days.

8. Escalations have been recorded in Mosaic workflows since 20 November 2018 (the date of \
the first escalation recorded in Mosaic); before then they were logged in a spreadsheet. The \
figures for the financial year to date combine the two on the harmonised categories of the \
crosswalk, and an escalation keyed into both systems is counted twice: the pack finds 4 \
possible duplicates (same child, same category, raised on the same day). The pack sets the \
legacy log before the go-live beside Mosaic after it, each as a rate per month.

9. Of the 115 looked-after reviews held in the financial year to date (1 April to 31 December \
2018), 110 (95.7%) were on time by the date of the meeting. The system (the workflow steps \
completed in Mosaic) records 83 (76.1%) of 109 as on time, 19.6 percentage points lower. 27 \
reviews held on time are late or not yet recorded in the system, so reports from the system \
show reviews as less timely than they were.

10. [TO BE WRITTEN: what these figures mean: the context the committee needs (practice, \
inspection findings, anything it asked about)]

11. [TO BE WRITTEN: the actions the service is taking and the impact expected]
"""

DECEMBER_END = f"""\
Policy implications

12. [TO BE WRITTEN: policy implications, or 'None']

Community impact statement

13. [TO BE WRITTEN: the impact on local people and communities]

DATA NOTE

The figures are from the monthly pack iro-escalations-2018-12 (.xlsx, .docx, .md), made by \
iro-stats {__version__} on 2 January 2019; its appendix names each input file with its \
SHA-256 and accounts for every row read.

The data covers 3 April 2017 to 2 January 2019 (legacy log 3 April 2017 to 2 January 2019; \
Mosaic 20 November 2018 to 2 January 2019).

An escalation is counted once, in the month it was raised, under the reason recorded on it; \
a child is counted once however many escalations they had. Percentages are of the \
escalations in the same period, rounded half up to one decimal place.

Changes are described as 'more' or 'fewer' when the two counts differ by more than a tenth \
of the earlier one, 'about the same' otherwise. A comparison is made only when the data \
covers both periods (taken to start in the month of its first escalation).

A looked-after review is on time when held on or before the day it is due under the Care \
Planning, Placement and Case Review (England) Regulations 2010; the system's figures use the \
dates the Mosaic workflow steps were completed instead of the meeting dates.

AUDIT TRAIL

Lead Officer: [TO BE WRITTEN: name and title]

Report Author: [TO BE WRITTEN: name and title]

Version: [TO BE WRITTEN: Draft or Final]

Dated: [TO BE WRITTEN: date]

Key decision: [TO BE WRITTEN: Yes or No]
"""


@pytest.fixture(scope="module")
def december():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = run_cli("monthly", "--month", "2018-12", SAMPLE, *REVIEWS, "--draft")
    assert result.code == 0, result
    return result


def test_december_2018_draft_reads_as_a_committee_paper_with_every_figure_from_the_pack(
        december):
    head, tables = december.out.split("TABLES\n", 1)
    assert head == DECEMBER + "\n"
    tables, end = tables.split("Policy implications\n", 1)
    assert "Policy implications\n" + end == DECEMBER_END
    titles = [line for line in tables.splitlines()
              if line and not line.startswith(("Note:", "-")) and "  " not in line]
    assert titles == [
        "Reasons for IRO escalations, December 2018 (Mosaic labels)",
        "Reasons for IRO escalations, financial year to date, 1 April to 31 December 2018 "
        "(harmonised categories, legacy log and Mosaic)",
        "IRO escalations and children compared with earlier periods",
        "IRO escalation stages and timeliness, December 2018",
        "The gap between the views, 1 April to 31 December 2018"]
    assert "1 April to 31 December 2017            160         145" in tables


def test_the_2017_18_year_says_what_the_2019_report_said():
    # March 2018: the year to date is the whole of 2017-18, the legacy log's 219
    # escalations for 193 children (219 - 193 = 26 repeats); 148 of 219 is 67.58%, 23 of
    # 219 is 10.50%. The data begins in April 2017, so 2016-17 is not compared.
    result = run_cli("monthly", "--month", "2018-03", LEGACY, "--draft")
    assert result.code == 0, result
    paragraphs = result.out.split("\n\n")
    assert ("4. In the reporting year 2017-18 (April to March) there were 219 logged IRO "
            "escalations affecting 193 children. Of these, 26 were a child's second or "
            "later escalation in the period. No comparison is made with the year before "
            "(2016-17): the data does not cover both periods in full.") in paragraphs
    assert ("6. In 2017-18, 148 (67.6%) of 219 escalations related to incomplete or "
            "inadequate care plans. The next area for challenge by IROs was drift or "
            "delay in care planning, with 23 (10.5%).") in paragraphs
    # March 2018 has 22 escalations against February's 18: 4 more, over a tenth of 18.
    assert ("3. In March 2018 there were 22 logged IRO escalations affecting 22 children. "
            "That is more than in the month before (February 2018: 18).") in paragraphs
    assert ("7. The escalations raised in March 2018 were logged without stages (the "
            "legacy log), so how far they went cannot be reported.") in paragraphs
    assert "Mosaic workflows since" not in result.out  # no go-live in 2017-18
    assert "looked-after reviews" not in result.out  # no review extracts given


def test_a_month_the_data_covers_in_part_is_not_compared(run):
    # The extracts end on 2 January 2019: January 2019 and the year to date to 31 January
    # are covered in part, so neither is set against the period before, whose data is whole.
    result = run("monthly", "--month", "2019-01", SAMPLE, "--draft")
    paragraphs = result.out.split("\n\n")
    assert ("3. The data covers only 1 to 2 January 2019 of January 2019: the month's "
            "figures are incomplete.") in paragraphs
    assert ("4. In January 2019 there were 2 logged IRO escalations affecting 2 children. "
            "No comparison is made with the month before (December 2018): the data does "
            "not cover both periods in full.") in paragraphs
    assert ("Note: The data does not cover both 1 April 2018 to 31 January 2019 and 1 "
            "April 2017 to 31 January 2018 in full: they are not compared.") in result.out
    assert "fewer than" not in result.out and "more than in" not in result.out
    # One Mosaic escalation, informal, raised on the 2nd and open on the data's last day.
    assert ("8. Of the one escalation with a stage recorded raised in January 2019, none "
            "went beyond stage 1. By 2 January 2019, none had been resolved. 1 remained "
            "open, not for more than 20 working days.") in paragraphs


def test_with_suppress_a_hidden_figure_is_put_in_other_words(run):
    # November 2018 with --suppress 5: the stage table hides Informal (2) and with it
    # Stage 2 and 3, so no count beyond stage 1 can be given; 6 repeats (32 - 26) is above
    # 5 and stays; the possible duplicates (4) are hidden, so their sentence has no count.
    result = run("monthly", "--month", "2018-11", SAMPLE, "--draft", "--suppress", "5")
    assert result.code == 0, result
    paragraphs = result.out.split("\n\n")
    assert "Classification: Open" in result.out
    assert ("7. Of the 12 escalations with a stage recorded raised in November 2018, the "
            "numbers reaching each stage are not given, to protect small numbers; the table "
            "in the pack gives those that can be. By 30 November 2018, none had been open "
            "for more than 20 working days.") in paragraphs
    assert any(p.startswith("8. Escalations have been recorded in Mosaic") and
               "counted twice. The pack sets" in p for p in paragraphs)
    assert ("Counts from 1 to 5, and counts that would let one be worked out, are not "
            "given: c in the tables, other words in the text. Totals are given in full."
            ) in paragraphs


def test_monthly_writes_the_report_beside_the_pack_and_draft_alone_writes_nothing(
        run, tmp_path, monkeypatch):
    from docx import Document

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    result = run("monthly", "--month", "2018-12", SAMPLE, *REVIEWS, "-o", tmp_path)
    assert result.code == 0, result
    report = tmp_path / "iro-escalations-2018-12-report.docx"
    assert result.out.splitlines()[-1] == str(report)
    document = Document(str(report))
    words = [p.text for p in document.paragraphs]
    assert "3.\t" + DECEMBER.split("\n\n3. ")[1].split("\n\n")[0] in words
    placeholders = [r.text for p in document.paragraphs for r in p.runs
                    if r.font.highlight_color is not None]
    assert placeholders[0] == ("[TO BE WRITTEN: why this report is before the committee, "
                               "and what it follows on from]")
    assert len(placeholders) == 5 + 5  # background, context, actions, policy, impact; audit
    assert document.core_properties.title == \
        "Progress Report on Independent Reviewing Officer (IRO) Escalations, December 2018"
    assert document.core_properties.author == ""
    assert len(document.tables) == 1 + 5  # the paper's heading lines, then five tables
    only_text = run("monthly", "--month", "2018-12", SAMPLE, "--draft")
    assert only_text.code == 0 and "wrote" not in only_text.err
    assert run("monthly", "--month", "2018-12", SAMPLE).code == 2
