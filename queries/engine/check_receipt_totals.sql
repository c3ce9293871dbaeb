-- RECEIPT_TOTAL_MISMATCH (beyond the contract's list): a receipt whose totals differ from its lines.
SELECT 'RECEIPT_TOTAL_MISMATCH' AS kind, r.order_number, NULL AS position_item_id,
       r.receipt_number AS document_number, berlin_day(r.created_at) AS document_date,
       l.line_sum AS expected, r.total_gross AS actual, NULL::DATE AS expected_date, NULL::DATE AS actual_date,
       [ev(r.source_sha256, r.source_line)] AS evidence,
       'total' AS message_key, MAP {'total': txt(r.total_gross), 'line_sum': txt(l.line_sum)} AS params
FROM receipts r
JOIN (SELECT receipt_number, sum(gross_amount) AS line_sum FROM receipt_lines GROUP BY receipt_number) l
  USING (receipt_number)
WHERE r.total_gross <> l.line_sum;
