-- Transactions of the incoming statement already stored (same account and Transaktions-ID), and whether
-- their content is the same: (transaction_id, incoming line, identical, earlier file, earlier line).
SELECT s.transaction_id, s.source_line,
       (s.booking_date, s.transaction_type, s.order_number, s.document_number, s.amount, s.balance, s.currency,
        s.description) IS NOT DISTINCT FROM
       (t.booking_date, t.transaction_type, t.order_number, t.document_number, t.amount, t.balance, t.currency,
        t.description) AS identical,
       f.original_name, t.source_line
FROM staged_transactions s
JOIN statement_lines t ON t.account = s.account AND t.transaction_id = s.transaction_id
JOIN source_files f ON f.sha256 = t.source_sha256
ORDER BY s.source_line;
