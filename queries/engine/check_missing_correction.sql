-- MISSING_CORRECTION: a returned item whose commission no correction refunded (and, when the whole order
-- came back, its shipping commission), once the grace period for booking the correction has passed.
-- Reads what corrections owe (expected_corrections).
SELECT 'MISSING_CORRECTION' AS kind, e.order_number, e.position_item_id, e.invoice_number AS document_number,
       e.returned_on AS document_date, e.net AS expected, 0.00::DECIMAL(18, 2) AS actual,
       NULL::DATE AS expected_date, NULL::DATE AS actual_date, e.evidence,
       CASE WHEN e.service_type = 'Verkaufsprovision' THEN 'item' ELSE 'shipping' END AS message_key,
       CASE WHEN e.service_type = 'Verkaufsprovision' THEN
                MAP {'returned_on': txt(e.returned_on), 'net': txt(-e.net), 'invoice_number': e.invoice_number}
            ELSE MAP {'order_number': e.order_number, 'returned_on': txt(e.returned_on), 'net': txt(-e.net),
                      'invoice_number': e.invoice_number}
       END AS params
FROM expected_corrections e
WHERE e.due AND NOT e.refunded;
