-- Account statement transactions of a booking period for the DATEV export (book_statement): the money that
-- moves on the marketplace's own account and that no fee document books. Customer money (PAY_IN), payment
-- fees and other types summed per account, booking day and type (one booking each, never one per
-- receipt); payouts and direct debits one by one. Transactions settling an invoice or correction are left
-- out: the fee document itself books that money (on its own date).
-- Parameters: $date_from, $date_to (booking days, inclusive).
SELECT s.account, s.meaning, s.transaction_type, s.booking_date,
       CASE WHEN s.meaning IN ('payout', 'direct_debit') THEN s.transaction_id END AS transaction_id,
       sum(s.amount) AS amount, count(*) AS transactions, min(f.original_name) AS file
FROM statement_lines s JOIN source_files f ON f.sha256 = s.source_sha256
WHERE s.booking_date BETWEEN $date_from AND $date_to AND s.meaning NOT IN ('invoice', 'correction')
GROUP BY ALL
ORDER BY s.booking_date, s.account, min(s.source_line);
