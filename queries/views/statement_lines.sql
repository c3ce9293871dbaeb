-- Every account statement transaction of the period in the account's order (model statement_chain), with
-- the balance recomputed from the account's first opening balance plus every amount since (so a break in
-- the file's own Saldo column shows as a difference), and the document it settles (model
-- statement_matches: matched number and status). Period: booking day in date_from .. min(date_to, as_of);
-- the running balance counts the transactions before the period too.
WITH period AS (SELECT getvariable('date_from') AS d0, least(getvariable('date_to'), getvariable('as_of')) AS d1),
running AS (
    SELECT c.*,
           first_value(c.balance_before) OVER w + sum(c.amount) OVER (w ROWS UNBOUNDED PRECEDING) AS running_balance
    FROM statement_chain c
    WINDOW w AS (PARTITION BY c.account ORDER BY c.seq)
)
SELECT r.account, r.booking_date, r.transaction_id, r.transaction_type, r.meaning, r.order_number,
       r.document_number, r.amount, r.balance, r.running_balance::DECIMAL(18, 2) AS running_balance,
       m.matched_number, m.status AS match_status, r.evidence.sha AS sha, r.evidence.line AS line,
       f.original_name AS file
FROM running r
LEFT JOIN statement_matches m USING (account, transaction_id)
LEFT JOIN source_files f ON f.sha256 = r.source_sha256, period
WHERE r.booking_date BETWEEN period.d0 AND period.d1
ORDER BY r.account, r.seq;
