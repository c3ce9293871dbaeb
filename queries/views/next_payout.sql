-- The next settlement day after as_of and what it should pay out: every open document due by then
-- (overdue ones included). Reads the model open_documents. One row or none.
WITH next_day AS (SELECT min(settlement_day) AS day FROM open_documents WHERE settlement_day > getvariable('as_of'))
SELECT n.day AS settlement_day, sum(o.amount)::DECIMAL(18, 2) AS amount, count(*) AS documents,
       count(*) FILTER (WHERE o.overdue) AS overdue_documents
FROM open_documents o, next_day n
WHERE n.day IS NOT NULL AND o.settlement_day <= n.day
GROUP BY n.day;
