"""`iro-stats reviews`: the rules of docs/reviews.md, each pinned by a case worked by hand."""

import csv

from conftest import one_error, write

EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC\n"
REVIEWS = "CHILD,DOB,REVIEW,REVIEW_CODE\n"
STEPS = ("Workflow Step ID,Person ID,Step Status,Started On,Completed On,Cancelled On,"
         "LAC Review Date,Participation Code\n")
PERIODS = "PERSON_ID,START_DATE,END_DATE,LEGAL_STATUS\n"
FY = ("--financial-year", "2018-19")


def episode(child, start, end="", rec="", ls="C2"):
    return f"{child},{start},S,{ls},N1,U4,PR1,{end},{rec}\n"


def review(child, day, code="PN1"):
    return f"{child},01/01/2008,{day},{code}\n"


def files(tmp_path, episodes="", reviews="", steps=None, periods=None):
    """Write the extracts given and return their paths (episodes first)."""
    paths = []
    if episodes:
        paths.append(write(tmp_path / "episodes.csv", EPISODES + episodes))
    if reviews:
        paths.append(write(tmp_path / "reviews.csv", REVIEWS + reviews))
    if periods is not None:
        paths.append(write(tmp_path / "periods.csv", PERIODS + periods))
    if steps is not None:
        paths.append(write(tmp_path / "steps.csv", STEPS + steps))
    return paths


def reviews_json(run, *args):
    result = run("reviews", *args, "--format", "json")
    assert result.code == 0, result
    return result.json()


def per_child(run, tmp_path, *args):
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    result = run("reviews", *args, "--per-child", out / "per-child.csv")
    assert result.code == 0, result
    with open(out / "per-child.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))



# --- due dates ------------------------------------------------------------------------

def test_first_review_due_20_working_days_on_with_christmas_skipped(run, tmp_path):
    # Friday 21/12/2018: 25 and 26 December and 1 January are not working days, so the
    # 20th working day after it is Wednesday 23/01/2019. Held that day: on time; held
    # the day after: late.
    paths = files(tmp_path, episode(5000001, "21/12/2018") + episode(5000002, "21/12/2018"),
                  review(5000001, "23/01/2019") + review(5000002, "24/01/2019"))
    data = reviews_json(run, *paths, *FY)
    assert (data["actual"]["held"], data["actual"]["on_time"], data["actual"]["late"]) == \
        (2, 1, 1)
    assert data["actual"]["percent_on_time"] == 50.0
    assert data["actual"]["by_review"]["first"] == {"held": 2, "on_time": 1, "late": 1}
    assert data["actual"]["children_all_on_time"] == 1
    rows = per_child(run, tmp_path, *paths, *FY)
    assert [(r["Child ID"], r["Due"], r["Held"], r["On time"]) for r in rows] == [
        ("5000001", "2019-01-23", "2019-01-23", "Yes"),
        ("5000002", "2019-01-23", "2019-01-24", "No")]


def test_first_review_due_20_working_days_on_with_easter_and_may_day_skipped(run, tmp_path):
    # Thursday 04/04/2019: Good Friday 19/04, Easter Monday 22/04 and the May Day bank
    # holiday 06/05 are skipped, so review 1 is due Tuesday 07/05/2019.
    paths = files(tmp_path, episode(5000001, "04/04/2019") + episode(5000002, "04/04/2019"),
                  review(5000001, "07/05/2019") + review(5000002, "08/05/2019"))
    rows = per_child(run, tmp_path, *paths, "--from", "01/04/2019", "--to", "31/05/2019")
    assert [(r["Due"], r["On time"]) for r in rows] == [("2019-05-07", "Yes"),
                                                        ("2019-05-07", "No")]


def test_second_review_3_months_later_then_6_and_31_august_gives_28_february(run, tmp_path):
    # Period from 01/03/2018: review 1 due 29/03/2018 (Good Friday 30/03 would be the
    # 21st day), held 28/03; review 2 due 28/06/2018, held 31/05; review 3 due
    # 30/11/2018 (31 May + 6 months), held 31/08; review 4 due 28/02/2019 (31 August
    # + 6 months). Held 28/02: on time; held 01/03: late.
    held = ("28/03/2018", "31/05/2018", "31/08/2018")
    paths = files(tmp_path, episode(5000001, "01/03/2018") + episode(5000002, "01/03/2018"),
                  "".join(review(c, d) for c in (5000001, 5000002) for d in held)
                  + review(5000001, "28/02/2019") + review(5000002, "01/03/2019"))
    data = reviews_json(run, *paths, *FY)
    # The March 2018 reviews are before the year: not counted, but they are review 1.
    assert data["actual"]["by_review"] == {"first": {"held": 0, "on_time": 0, "late": 0},
                                           "second": {"held": 2, "on_time": 2, "late": 0},
                                           "subsequent": {"held": 4, "on_time": 3, "late": 1}}
    rows = per_child(run, tmp_path, *paths, *FY)
    assert [(r["Review"], r["Due"], r["Held"]) for r in rows if r["Child ID"] == "5000002"] \
        == [("2", "2018-06-28", "2018-05-31"), ("3", "2018-11-30", "2018-08-31"),
            ("4", "2019-02-28", "2019-03-01")]
    assert data["rows"] == {"read": 10, "used": 8, "rejected": 0, "duplicates": 0,
                            "outside_period": 2}


def test_short_breaks_period_first_review_after_3_months_then_every_6(run, tmp_path):
    # LS V4 from 01/06/2018: review 1 due 01/09/2018, review 2 due 30/08/2018 + 6
    # months = 28/02/2019: both on time. The same dates under a care order (C2) are late:
    # review 1 was due 29/06/2018 (20 working days), review 2 30/11/2018 (3 months).
    paths = files(tmp_path, episode(5000001, "01/06/2018", ls="V4")
                  + episode(5000002, "01/06/2018", ls="C2"),
                  "".join(review(c, d) for c in (5000001, 5000002)
                          for d in ("30/08/2018", "28/02/2019")))
    rows = per_child(run, tmp_path, *paths, *FY)
    assert [(r["Child ID"], r["Short breaks"], r["Due"], r["On time"]) for r in rows] == [
        ("5000001", "Yes", "2018-09-01", "Yes"), ("5000001", "Yes", "2019-02-28", "Yes"),
        ("5000002", "No", "2018-06-29", "No"), ("5000002", "No", "2018-11-30", "No")]


def test_two_digit_years_are_this_century(run, tmp_path):
    paths = files(tmp_path, episode(5000001, "21/12/18"), review(5000001, "23/01/19"))
    rows = per_child(run, tmp_path, *paths, *FY)
    assert [(r["Period of care start"], r["Held"], r["On time"]) for r in rows] == [
        ("2018-12-21", "2019-01-23", "Yes")]


# --- periods of care ------------------------------------------------------------------

def test_episodes_joined_by_x1_are_one_period_and_overlaps_are_warned(run, tmp_path):
    # 5000001: a move on 15/03/2019 (REC X1) continues the period from 21/12/2018.
    # 5000002: the second episode starts two days before the first ended (X1): one
    # period, and a warning naming the child. 5000003: an episode ended 10/06/2018 with
    # E13 and one began that day: two periods; the review of 10/06/2018 is in the later
    # one, whose review 1 is due 20 working days after Sunday 10/06/2018: 06/07/2018.
    paths = files(tmp_path,
                  episode(5000001, "21/12/2018", "15/03/2019", "X1")
                  + episode(5000001, "15/03/2019")
                  + episode(5000002, "01/04/2018", "10/06/2018", "X1")
                  + episode(5000002, "08/06/2018")
                  + episode(5000003, "01/04/2018", "10/06/2018", "E13")
                  + episode(5000003, "10/06/2018"),
                  review(5000001, "23/01/2019") + review(5000001, "23/04/2019")
                  + review(5000003, "10/06/2018"))
    result = run("reviews", *paths, "--from", "01/04/2018", "--to", "30/04/2019",
                 "--format", "json")
    assert result.code == 0, result
    assert result.json()["periods_of_care"] == 4
    warning = [line for line in result.err.splitlines() if line.startswith("warning:")]
    assert len(warning) == 1 and "5000002" in warning[0] and "5000001" not in warning[0]
    rows = per_child(run, tmp_path, *paths, "--from", "01/04/2018", "--to", "30/04/2019")
    assert [(r["Child ID"], r["Period of care start"], r["Review"], r["Due"]) for r in rows
            if r["Review"]] == [("5000001", "2018-12-21", "1", "2019-01-23"),
                                ("5000001", "2018-12-21", "2", "2019-04-23"),
                                ("5000003", "2018-06-10", "1", "2018-07-06")]
    # Periods of care with no review in the period have a row of their own.
    assert [(r["Child ID"], r["Period of care start"]) for r in rows if not r["Review"]] \
        == [("5000002", "2018-04-01"), ("5000003", "2018-04-01")]


def test_a_period_is_short_breaks_only_when_every_episode_is_v3_or_v4(run, tmp_path):
    # Short breaks (V4) from 01/06/2018, then a care order (C2) from 01/08/2018 (X1): one
    # period, not all V3/V4, so review 1 is due 20 working days on, 29/06/2018.
    paths = files(tmp_path, episode(5000001, "01/06/2018", "01/08/2018", "X1", ls="V4")
                  + episode(5000001, "01/08/2018", ls="C2"), review(5000001, "30/08/2018"))
    rows = per_child(run, tmp_path, *paths, *FY)
    assert [(r["Short breaks"], r["Due"], r["On time"]) for r in rows] == [
        ("No", "2018-06-29", "No")]


def test_of_two_episodes_ending_the_same_day_the_later_one_says_how_it_ended(run, tmp_path):
    # 01/04-10/06 ends X1; 05/06-10/06 (overlapping it) ends E13 the same day, and being
    # the later one, its E13 ends the period: the episode from 10/06 starts a new one.
    paths = files(tmp_path, episode(5000001, "01/04/2018", "10/06/2018", "X1")
                  + episode(5000001, "05/06/2018", "10/06/2018", "E13")
                  + episode(5000001, "10/06/2018"), review(5000001, "20/06/2018"))
    assert reviews_json(run, *paths, *FY)["periods_of_care"] == 2
    rows = per_child(run, tmp_path, *paths, *FY)
    assert [(r["Period of care start"], r["Review"], r["Due"]) for r in rows] == [
        ("2018-04-01", "", ""), ("2018-06-10", "1", "2018-07-06")]


def test_mosaic_periods_of_care_and_a_short_breaks_legal_status(run, tmp_path):
    paths = files(tmp_path, reviews=review(5000001, "30/08/2018"),
                  periods="5000001,2018-06-01 00:00:00.000,,V3\n")
    rows = per_child(run, tmp_path, *paths, *FY)
    assert [(r["Short breaks"], r["Due"], r["On time"]) for r in rows] == [
        ("Yes", "2018-09-01", "Yes")]


# --- rows accounted for ---------------------------------------------------------------

def test_same_child_and_day_twice_is_one_review_whatever_the_codes(run, tmp_path):
    paths = files(tmp_path, episode(5000001, "21/12/2018"),
                  review(5000001, "23/01/2019", "PN1") + review(5000001, "23/01/2019", "PN7"))
    out = tmp_path / "out"
    out.mkdir()
    result = run("reviews", *paths, *FY, "--format", "json", "--rejects", out / "r.csv")
    assert result.code == 0, result
    data = result.json()
    assert data["actual"]["held"] == 1
    assert (data["participation"]["PN1"], data["participation"]["PN7"]) == (1, 0)
    assert data["rows"] == {"read": 3, "used": 2, "rejected": 0, "duplicates": 1,
                            "outside_period": 0}
    with open(out / "r.csv", newline="", encoding="utf-8") as handle:
        rejects = list(csv.DictReader(handle))
    assert [(r["status"], r["detail"], r["row"]) for r in rejects] == [
        ("duplicate", f"repeats {paths[1]} row 2", "3")]


def test_a_review_in_no_period_of_care_is_rejected(run, tmp_path):
    paths = files(tmp_path, episode(5000001, "21/12/2018", "01/03/2019", "E13"),
                  review(5000001, "23/01/2019") + review(5000001, "02/03/2019")
                  + review(5000002, "23/01/2019"))
    result = run("reviews", *paths, *FY, "--format", "json")
    assert result.code == 0, result
    assert result.json()["rows"] == {"read": 4, "used": 2, "rejected": 2, "duplicates": 0,
                                     "outside_period": 0}
    assert "  rejected 2: review date outside any period of care" in result.err.splitlines()


def test_every_row_is_used_rejected_a_duplicate_or_outside(run, tmp_path):
    paths = files(tmp_path,
                  episode(5000001, "21/12/2018") + episode("", "01/01/2019")
                  + episode(5000002, "31/02/2018") + episode(5000003, "01/05/2018",
                                                             "01/04/2018", "E13")
                  + episode(5000001, "21/12/2018") + episode(5000004, "01/01/2016",
                                                             "01/06/2016", "E13"),
                  review(5000001, "23/01/2019") + review(5000001, "") + review(5000001,
                                                                              "2019/13/01"),
                  "7100001,5000001,COMPLETED,16/01/2019,30/01/2019,,23/01/2019,PN1\n"
                  "7100002,5000001,FINISHED,16/01/2019,30/01/2019,,24/01/2019,PN1\n"
                  "7100003,5000001,COMPLETED,16/01/2019,,,25/01/2019,PN1\n"
                  # the same step again, exported with another date: one step
                  "7100001,5000001,COMPLETED,16/01/2019,31/01/2019,,22/01/2019,PN1\n")
    result = run("reviews", *paths, *FY, "--format", "json")
    assert result.code == 0, result
    assert result.json()["rows"] == {"read": 13, "used": 3, "rejected": 7, "duplicates": 2,
                                     "outside_period": 1}
    assert result.err.splitlines()[-8:] == [
        "rows read 13: used 3, rejected 7, duplicates 2, outside period 1",
        "  rejected 1: CHILD is blank",
        "  rejected 1: DECOM is not a real date",
        "  rejected 1: DEC is before DECOM",
        "  rejected 1: REVIEW is blank",
        "  rejected 1: REVIEW is not a date we can read",
        "  rejected 1: step status is not PROPOSED, INCOMING, STARTED, REOPENED, COMPLETED "
        "or CANCELLED",
        "  rejected 1: completed step has no completed on date"]


def test_the_903_header_file_is_named_and_left_out(run, tmp_path):
    paths = files(tmp_path, episode(5000001, "21/12/2018"), review(5000001, "23/01/2019"))
    write(tmp_path / "header.csv", "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
          "5000001,1,03/05/2010,WBRI,A123456789012,,\n")
    result = run("reviews", tmp_path, *FY, "--format", "json")
    assert result.code == 0, result
    assert f"{tmp_path / 'header.csv'}: not needed for reviews; its 1 rows are left out " \
        "of the counts" in result.err
    assert result.json()["rows"]["read"] == 2


# --- the system view and the gap ------------------------------------------------------

STEP_ROWS = (
    "7100001,5000001,COMPLETED,16/01/2019,30/01/2019,,23/01/2019,PN1\n"  # on time, late in system
    "7100002,5000002,CANCELLED,15/08/2018,,24/08/2018,25/08/2018,\n"  # booked, cancelled
    "7100003,5000002,COMPLETED,27/08/2018,30/08/2018,,30/08/2018,PN0\n"  # on time both
    "7100004,5000003,STARTED,01/02/2019,,,07/02/2019,\n"  # held, not recorded
    "7100005,5000003,PROPOSED,20/03/2019,,,,\n")  # the next one, not yet dated


def test_cancelled_and_open_steps_are_counted_apart_and_open_ones_make_the_gap(run, tmp_path):
    # 5000002 is a short-breaks period from 01/06/2018 (due 01/09/2018). 5000003 started
    # 10/01/2019: review 1 due 07/02/2019, held that day, its step still STARTED.
    paths = files(tmp_path, episode(5000001, "21/12/2018")
                  + episode(5000002, "01/06/2018", ls="V4") + episode(5000003, "10/01/2019"),
                  review(5000001, "23/01/2019") + review(5000002, "30/08/2018", "PN0")
                  + review(5000003, "07/02/2019", "PN2"), STEP_ROWS)
    data = reviews_json(run, *paths, *FY)
    assert data["actual"]["held"] == 3 and data["actual"]["on_time"] == 3
    assert data["system"]["held"] == 2 and data["system"]["on_time"] == 1
    assert (data["actual"]["percent_on_time"], data["system"]["percent_on_time"]) == \
        (100.0, 50.0)
    assert data["steps"] == {"cancelled": 1, "held_not_recorded": 1, "open_no_review_date": 1}
    assert data["gap"] == {"percentage_points": 50.0, "late_in_system": 1, "step_open": 1,
                           "no_step": 0, "on_time_but_late_or_unrecorded": 2}
    # As at 31/03/2019 the system has no review for 5000003 (due 07/02/2019): overdue;
    # 5000002's next is due 28/02/2019 in both views: overdue; 5000001's 23/04/2019 (actual)
    # and 30/04/2019 (system) are not.
    assert (data["actual"]["overdue_not_held"], data["system"]["overdue_not_held"]) == (1, 2)
    assert data["rows"] == {"read": 11, "used": 11, "rejected": 0, "duplicates": 0,
                            "outside_period": 0}


def test_a_step_belongs_to_the_period_of_its_review_date_else_its_completion(run, tmp_path):
    # 5000001's care ran 21/12/2018 to 28/02/2019, then again from 01/03/2019. A step with
    # no LAC review date completed 06/03/2019 is review 1 of the second period (due
    # 29/03/2019): on time. One with a LAC review date of 23/01/2019 is in the first, and
    # so are none of the others: one dated before any care, one completed before it.
    paths = files(tmp_path, episode(5000001, "21/12/2018", "28/02/2019", "E13")
                  + episode(5000001, "01/03/2019"), review(5000001, "23/01/2019"),
                  "7100001,5000001,COMPLETED,16/01/2019,30/01/2019,,23/01/2019,PN1\n"
                  "7100002,5000001,COMPLETED,01/03/2019,06/03/2019,,,PN1\n"
                  "7100003,5000001,COMPLETED,01/12/2018,02/12/2018,,01/12/2018,PN1\n"
                  "7100004,5000001,COMPLETED,01/12/2018,03/12/2018,,,PN1\n")
    result = run("reviews", *paths, *FY, "--format", "json")
    assert result.code == 0, result
    data = result.json()
    assert data["system"]["by_review"]["first"] == {"held": 2, "on_time": 1, "late": 1}
    assert data["rows"]["rejected"] == 2
    err = result.err.splitlines()
    assert "  rejected 1: LAC review date outside any period of care" in err
    assert "  rejected 1: completed on date (no LAC review date) outside any period of " \
        "care" in err


def test_without_903_reviews_the_steps_review_dates_are_the_meetings(run, tmp_path):
    paths = files(tmp_path, periods="5000001,2018-12-21 00:00:00.000,,C2\n"
                  "5000002,2018-06-01 00:00:00.000,,V4\n5000003,2019-01-10 00:00:00.000,,C2\n",
                  steps=STEP_ROWS)
    data = reviews_json(run, *paths, *FY)
    assert data["actual_source"] == "Mosaic workflow steps (LAC review date)"
    assert (data["actual"]["held"], data["actual"]["on_time"]) == (3, 3)
    assert data["participation"]["not_recorded"] == 1  # the open step has no code yet


def test_an_iro_log_is_read_as_meeting_dates_and_repeats_the_903(run, tmp_path):
    paths = files(tmp_path, episode(5000001, "21/12/2018"), review(5000001, "23/01/2019"))
    log = write(tmp_path / "log.csv", "Child ID,Review Date,Participation Code\n"
                "5000001,23/01/2019,PN1\n5000001,24/04/2019,PN2\n")
    data = reviews_json(run, *paths, log, "--from", "01/04/2018", "--to", "30/04/2019")
    assert data["actual_source"] == "903 reviews and IRO review log"
    assert (data["actual"]["held"], data["actual"]["on_time"]) == (2, 1)
    assert data["rows"]["duplicates"] == 1


# --- bad input ------------------------------------------------------------------------

def test_reviews_without_periods_of_care_say_which_file_to_add(run, tmp_path):
    paths = files(tmp_path, reviews=review(5000001, "23/01/2019"))
    result = run("reviews", *paths)
    assert result.code == 1
    assert one_error(result) == (
        f"Error: {paths[0]}: reviews need the periods of care they belong to; add the 903 "
        "episodes (episodes.csv) or a Mosaic periods-of-care export for the same children")


def test_periods_of_care_without_reviews_say_which_files_to_add(run, tmp_path):
    paths = files(tmp_path, episode(5000001, "21/12/2018"))
    assert one_error(run("reviews", *paths)) == (
        f"Error: {paths[0]}: periods of care but no reviews; add the 903 reviews "
        "(reviews.csv), an IRO review log or a Mosaic workflow-step export of looked-after "
        "reviews for the same children")


def test_an_extract_of_no_known_kind_lists_the_kinds_and_their_headers(run, tmp_path):
    path = write(tmp_path / "odd.csv", "Name,Town\nA,B\n")
    message = one_error(run("reviews", path))
    for identified in ("903 episodes file: CHILD and DECOM", "903 reviews file: CHILD and "
                       "REVIEW", "IRO review log: Child ID and Review Date"):
        assert identified in message


def test_an_escalations_extract_named_here_says_which_command_reads_it(run, tmp_path):
    path = write(tmp_path / "esc.csv", "Child ID,Date Raised,Reason\n5000001,03/12/2018,Other\n")
    assert "read by 'iro-stats report'" in one_error(run("reviews", path))


def test_overdue_and_not_held_as_at_a_date(run, tmp_path):
    # As at 29/03/2019: 5000001's care ended that day, so its period is closed; 5000002
    # (from Friday 01/03/2019) has review 1 due that very day: not yet overdue; 5000003
    # (from Thursday 28/02/2019) had it due 28/03/2019: overdue and not held. 5000004's
    # next review is due 23/04/2019. By the year's last day, 31/03, 5000002 is overdue too.
    paths = files(tmp_path, episode(5000001, "01/01/2018", "29/03/2019", "E13")
                  + episode(5000002, "01/03/2019") + episode(5000003, "28/02/2019")
                  + episode(5000004, "21/12/2018"), review(5000004, "23/01/2019"))
    data = reviews_json(run, *paths, *FY, "--as-at", "29/03/2019")
    assert (data["as_at"], data["actual"]["overdue_not_held"]) == ("2019-03-29", 1)
    data = reviews_json(run, *paths, *FY)
    assert (data["as_at"], data["actual"]["overdue_not_held"]) == ("2019-03-31", 2)
    rows = per_child(run, tmp_path, *paths, *FY, "--as-at", "29/03/2019")
    assert [(r["Child ID"], r["Next due at 29/03/2019"],
             r["Overdue and not held at 29/03/2019"]) for r in rows] == [
        ("5000001", "", ""), ("5000002", "2019-03-29", "No"),
        ("5000003", "2019-03-28", "Yes"), ("5000004", "2019-04-23", "No")]


def test_a_profile_names_a_councils_own_columns(run, tmp_path):
    paths = files(tmp_path, episode(5000001, "21/12/2018"))
    log = write(tmp_path / "log.csv", "Young Person,Meeting Held On\n5000001,23/01/2019\n")
    profile = write(tmp_path / "profile.toml", '[columns.iro_log]\nchild_id = "Young Person"\n'
                    'review_date = "Meeting Held On"\n')
    data = reviews_json(run, *paths, log, *FY, "--profile", profile)
    assert (data["actual_source"], data["actual"]["held"], data["actual"]["on_time"]) == \
        ("IRO review log", 1, 1)


def test_the_gaps_on_time_counts_are_hidden_where_the_views_hide_them(run, tmp_path):
    # Ten children from 21/12/2018, each reviewed on 23/01/2019 (due that day): the steps
    # of four were completed on 30/01 (late in the system), the rest that day. Two had
    # review 2 on 24/04, a day late (due 23/04); in the system it was due 30/04 (three
    # months after 30/01): one step completed 25/04 (on time), one 02/05 (late).
    # Actual: 12 held, 10 on time, 2 late; system: 12, 7 on time, 5 late. The late
    # counts are small, so the on-time ones go with them in the views' tables: and in the
    # gap table, where nothing else would hide them.
    children = range(5000001, 5000011)
    steps = "".join(f"71{c},{c},COMPLETED,16/01/2019,"
                    f"{'30/01/2019' if c <= 5000004 else '23/01/2019'},,23/01/2019,PN1\n"
                    for c in children) + \
        "7200001,5000001,COMPLETED,20/04/2019,25/04/2019,,24/04/2019,PN1\n" \
        "7200002,5000002,COMPLETED,20/04/2019,02/05/2019,,24/04/2019,PN1\n"
    paths = files(tmp_path, "".join(episode(c, "21/12/2018") for c in children),
                  "".join(review(c, "23/01/2019") for c in children)
                  + review(5000001, "24/04/2019") + review(5000002, "24/04/2019"), steps)
    period = ("--from", "01/01/2019", "--to", "30/06/2019")
    data = reviews_json(run, *paths, *period)
    assert [data[v][k] for v in ("actual", "system") for k in ("held", "on_time", "late")] \
        == [12, 10, 2, 12, 7, 5]
    assert data["gap"]["late_in_system"] == 4
    result = run("reviews", *paths, *period, "--format", "csv", "--suppress", "5")
    assert result.code == 0, result
    gap = result.out.split("\n\n")[3].splitlines()
    assert gap[2:5] == ["On time by the meeting date,c,c,",
                        "Reviews completed (in the system),12,,",
                        "On time in the system,c,c,c"]
