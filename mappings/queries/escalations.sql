-- IRO escalations from a Mosaic reporting warehouse: one row per escalation stage (a
-- workflow step), the columns named as the Mosaic "IRO Escalations" report names them,
-- so that iro-stats recognises each one. Use it with:
--   iro-stats report --query escalations.sql --month 2018-12
--
-- Adapt the table names to your warehouse. dm_workflow_steps and dm_workflow_step_types
-- are Mosaic's; dm_iro_escalation_answers stands for the view of the escalation form's
-- answers (reason, outcome) that your warehouse keeps. Written in SQL that PostgreSQL and
-- SQL Server both run. Stages are read from the step type's name ("Informal",
-- "Stage 1 ..."); steps of one escalation share its workflow_id.
SELECT
    ws.workflow_id            AS workflow_id,
    ws.person_id              AS person_id,
    st.description            AS escalation_stage,
    ws.started_on             AS start_date,
    ws.completed_on           AS completed_on,
    a.reason                  AS reason,
    a.outcome                 AS outcome,
    ws.responsible_team_name  AS team,
    ws.assignee_name          AS iro_name
FROM dm_workflow_steps ws
JOIN dm_workflow_step_types st
    ON st.workflow_step_type_id = ws.workflow_step_type_id
LEFT JOIN dm_iro_escalation_answers a
    ON a.workflow_step_id = ws.workflow_step_id
WHERE st.description LIKE 'IRO Escalation%'
  AND ws.step_status <> 'CANCELLED'
ORDER BY ws.started_on, ws.workflow_step_id;
