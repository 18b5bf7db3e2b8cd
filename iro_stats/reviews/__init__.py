"""Review timeliness for children looked after: the meeting dates against the system's.

Data flows one way through these modules:

    rows.py   each extract's rows -> typed episodes, periods, reviews and steps, every row
              accounted for (used, rejected with why, a duplicate of a named row, outside)
    care.py   903 episodes and Mosaic periods -> periods of care; which period a date is in
    due.py    when each review was due (20 working days, 3 months, 6 months)
    views.py  the actual and system views of one reporting period, the gap, participation
    report.py the committee's tables and JSON, and the per-child detail

docs/reviews.md states the rules with a worked example; the code follows it.
"""
