-- needs:
-- Every account statement transaction in its account's order, with the line before it (for the balance
-- chain) and the payout cycle it belongs to (cycle n: after the n-th payout or direct debit of the
-- account, up to and including the next one). Statements overlap and come in any order, so the order is
-- the booking day, then the file's first booking day, then the line in the file.
CREATE OR REPLACE TEMP TABLE statement_chain AS
WITH files AS (
    SELECT source_sha256, min(booking_date) AS first_day FROM statement_lines GROUP BY ALL
), ordered AS (
    SELECT s.*, ev(s.source_sha256, s.source_line) AS evidence,
           s.meaning IN ('payout', 'direct_debit') AS is_payout,
           row_number() OVER (PARTITION BY s.account
                              ORDER BY s.booking_date, f.first_day, s.source_sha256, s.source_line) AS seq
    FROM statement_lines s JOIN files f USING (source_sha256)
)
SELECT o.*, o.balance - o.amount AS balance_before,
       lag(o.balance) OVER w AS previous_balance, lag(o.evidence) OVER w AS previous_evidence,
       coalesce(sum(o.is_payout::INTEGER) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS cycle
FROM ordered o
WINDOW w AS (PARTITION BY o.account ORDER BY o.seq);
