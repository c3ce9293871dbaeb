-- The next settlement day after as_of and what it should pay out: every open document due by then
-- (overdue ones included, since they are still open). The day is the first settlement day after as_of
-- on which an open document falls due, else the next settlement weekday after as_of: when every open
-- document is overdue, they are all owed on the very next payout. Reads the model open_documents. One row or none.
WITH next_day AS (
    SELECT coalesce(min(settlement_day) FILTER (WHERE settlement_day > getvariable('as_of')),
                    settle_day(CAST(getvariable('as_of') + INTERVAL 1 DAY AS DATE))) AS day
    FROM open_documents
)
SELECT n.day AS settlement_day, sum(o.amount)::DECIMAL(18, 2) AS amount, count(*) AS documents,
       count(*) FILTER (WHERE o.overdue) AS overdue_documents
FROM open_documents o, next_day n
WHERE o.settlement_day <= n.day
GROUP BY n.day;
