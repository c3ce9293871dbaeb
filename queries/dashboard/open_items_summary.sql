-- Open documents per settlement day and type: count and amount. Needs engine/prepare.
-- The aggregate the payouts page shows first; the single documents come from open_items_page.
SELECT settle_day(d.due_date) AS settlement_day, d.document_type, count(*) AS documents,
       sum(d.amount)::DECIMAL(18, 2) AS amount, bool_or(settle_day(d.due_date) <= getvariable('as_of')) AS overdue
FROM documents d
WHERE d.document_date <= getvariable('as_of')
  AND NOT EXISTS (SELECT 1 FROM payout_lines p WHERE p.document_number = d.number)
GROUP BY ALL
ORDER BY settlement_day, d.document_type;
