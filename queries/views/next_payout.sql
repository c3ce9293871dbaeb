-- The next settlement day after as_of and what it should pay out: every open document due by then
-- (overdue ones included). Needs engine/prepare. One row or none.
WITH open AS (
    SELECT settle_day(d.due_date) AS settlement_day, d.amount,
           settle_day(d.due_date) <= getvariable('as_of') AS overdue
    FROM documents d
    WHERE d.document_date <= getvariable('as_of')
      AND NOT EXISTS (SELECT 1 FROM payout_lines p WHERE p.document_number = d.number)
), next_day AS (
    SELECT min(settlement_day) AS day FROM open WHERE settlement_day > getvariable('as_of')
)
SELECT n.day AS settlement_day, sum(o.amount)::DECIMAL(18, 2) AS amount, count(*) AS documents,
       count(*) FILTER (WHERE o.overdue) AS overdue_documents
FROM open o, next_day n
WHERE n.day IS NOT NULL AND o.settlement_day <= n.day
GROUP BY n.day;
