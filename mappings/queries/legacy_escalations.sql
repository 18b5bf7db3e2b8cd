-- The escalation log kept before Mosaic, where a council has loaded it into the
-- warehouse (one row per escalation, in the order it was kept). Use it beside
-- escalations.sql for the years that span the go-live:
--   iro-stats reconcile --query legacy_escalations.sql --query escalations.sql
SELECT
    child_ref              AS child_ref,
    date_raised            AS date_raised,
    reason_for_escalation  AS reason_for_escalation,
    iro_name               AS iro_name
FROM legacy_escalation_log
ORDER BY log_line;
