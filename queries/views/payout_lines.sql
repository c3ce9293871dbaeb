-- Every payout line with the document it settles and whether it matches (model payout_line_status).
SELECT p.payout_number, p.payout_date, p.payout_total, p.document_type, p.document_number, p.document_date,
       p.due_date, p.order_number, p.amount, p.document_amount, p.status,
       f.original_name AS file, p.source_line AS line
FROM payout_line_status p
JOIN source_files f ON f.sha256 = p.source_sha256
WHERE p.payout_date BETWEEN getvariable('date_from') AND getvariable('date_to')
ORDER BY p.payout_date, p.payout_number, p.source_line;
