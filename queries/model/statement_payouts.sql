-- needs: statement_chain
-- Each payout (or direct debit) on a statement with what the cycle it closes booked: the documents it
-- settles (receipts, invoices, corrections) and everything else (payment fees, other types).
CREATE OR REPLACE TEMP TABLE statement_payouts AS
WITH cycles AS (
    SELECT account, cycle,
           coalesce(sum(amount) FILTER (WHERE meaning IN ('receipt', 'invoice', 'correction')), 0) AS documents,
           coalesce(sum(amount) FILTER (WHERE NOT is_payout
                                         AND meaning NOT IN ('receipt', 'invoice', 'correction')), 0) AS other
    FROM statement_chain GROUP BY ALL
)
SELECT c.account, c.transaction_id, c.transaction_type, c.booking_date, c.amount, c.balance, c.balance_before,
       c.evidence, y.documents, y.other
FROM statement_chain c JOIN cycles y USING (account, cycle)
WHERE c.is_payout;
