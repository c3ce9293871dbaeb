-- One page of open documents (as views/open_items, overdue first), at most $limit rows. Needs engine/prepare.
SELECT d.document_type, d.number AS document_number, d.document_date, d.due_date,
       settle_day(d.due_date) AS settlement_day, d.order_number, d.amount,
       settle_day(d.due_date) <= getvariable('as_of') AS overdue
FROM documents d
WHERE d.document_date <= getvariable('as_of')
  AND NOT EXISTS (SELECT 1 FROM payout_lines p WHERE p.document_number = d.number)
ORDER BY settlement_day, d.document_type, d.number
LIMIT $limit;
