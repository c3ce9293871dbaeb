-- The first and the last day the period's data covers (documents, payouts, statement transactions), up to
-- as_of: an open period ("everything") is labelled with these real days instead of "Beginn" / "Ende".
-- Reads the models documents, payout_totals and statement_chain.
WITH period AS (SELECT getvariable('date_from') AS d0, least(getvariable('date_to'), getvariable('as_of')) AS d1),
days AS (
    SELECT document_date AS day FROM documents
    UNION ALL SELECT payout_date FROM payout_totals
    UNION ALL SELECT booking_date FROM statement_chain
)
SELECT min(day) AS first_day, max(day) AS last_day FROM days, period WHERE day BETWEEN period.d0 AND period.d1;
