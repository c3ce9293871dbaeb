-- DUPLICATE_CHARGE: a position item charged in a second (third, ...) invoice line.
SELECT 'DUPLICATE_CHARGE' AS kind, c.order_number, c.position_item_id, c.invoice_number AS document_number,
       c.invoice_date AS document_date, 0.00::DECIMAL(18, 2) AS expected, c.commission_net AS actual,
       NULL::DATE AS expected_date, NULL::DATE AS actual_date,
       [ev(c.source_sha256, c.source_line), ev(f.source_sha256, f.source_line)] AS evidence,
       'again' AS message_key,
       MAP {'net': txt(c.commission_net), 'first_invoice': f.invoice_number, 'first_date': txt(f.invoice_date)}
           AS params
FROM charges c JOIN charges f ON f.position_item_id = c.position_item_id AND f.nth = 1
WHERE c.nth > 1 AND c.position_item_id IS NOT NULL;
