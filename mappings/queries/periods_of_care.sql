-- Periods of care from a Mosaic reporting warehouse, for 'iro-stats reviews' (with
-- lac_review_steps.sql): one row per period, END_DATE empty while it goes on.
SELECT
    poc.person_id          AS person_id,
    poc.period_of_care_id  AS period_of_care_id,
    poc.start_date         AS start_date,
    poc.end_date           AS end_date,
    poc.legal_status       AS legal_status
FROM dm_periods_of_care poc
ORDER BY poc.start_date, poc.person_id;
