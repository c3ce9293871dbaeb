-- CHARGE_WITHOUT_SALE: a commission line naming a position item no purchase receipt shows as sold.
SELECT 'CHARGE_WITHOUT_SALE' AS kind, c.order_number, c.position_item_id, c.invoice_number AS document_number,
       c.invoice_date AS document_date, 0.00::DECIMAL(18, 2) AS expected, c.commission_net AS actual,
       NULL::DATE AS expected_date, NULL::DATE AS actual_date,
       [ev(c.source_sha256, c.source_line)] AS evidence,
       'unsold' AS message_key, MAP {'net': txt(c.commission_net), 'position_item_id': c.position_item_id} AS params
FROM charge_check c
WHERE c.nth = 1 AND c.sold_sha IS NULL;
