-- Looked-after (LAC) review workflow steps from a Mosaic reporting warehouse, with the
-- review's meeting date and participation code, for 'iro-stats reviews' beside
-- periods_of_care.sql:
--   iro-stats reviews --query periods_of_care.sql --query lac_review_steps.sql --financial-year 2018-19
--
-- dm_lac_review_answers stands for the view of the review form's answers that your
-- warehouse keeps; adapt the names to yours. Cancelled steps are kept: iro-stats
-- counts them as the docs on reviews say.
SELECT
    ws.workflow_step_id       AS workflow_step_id,
    ws.person_id              AS person_id,
    ws.step_status            AS step_status,
    ws.started_on             AS started_on,
    ws.completed_on           AS completed_on,
    ws.cancelled_on           AS cancelled_on,
    r.lac_review_date         AS lac_review_date,
    r.participation_code      AS participation_code,
    ws.responsible_team_name  AS team
FROM dm_workflow_steps ws
JOIN dm_workflow_step_types st
    ON st.workflow_step_type_id = ws.workflow_step_type_id
LEFT JOIN dm_lac_review_answers r
    ON r.workflow_step_id = ws.workflow_step_id
WHERE st.description = 'LAC Review - record of review'
ORDER BY ws.started_on, ws.workflow_step_id;
