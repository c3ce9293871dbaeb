-- MISSING_CORRECTION: a returned item whose commission no correction refunded (and, when the whole order
-- came back, its shipping commission), once the grace period for booking the correction has passed.
SELECT 'MISSING_CORRECTION' AS kind, x.order_number, x.position_item_id, c.invoice_number AS document_number,
       x.returned_on AS document_date, -c.commission_net AS expected, 0.00::DECIMAL(18, 2) AS actual,
       NULL::DATE AS expected_date, NULL::DATE AS actual_date,
       [ev(x.sha, x.line), ev(c.source_sha256, c.source_line)] AS evidence,
       'item' AS message_key,
       MAP {'returned_on': txt(x.returned_on), 'net': txt(c.commission_net), 'invoice_number': c.invoice_number}
           AS params
FROM returned x
JOIN charges c ON c.position_item_id = x.position_item_id AND c.nth = 1
WHERE x.returned_on + to_days(CAST(getvariable('correction_grace_days') AS INTEGER)) <= getvariable('as_of')
  AND NOT EXISTS (SELECT 1 FROM correction_lines k
                  WHERE k.position_item_id = x.position_item_id AND k.service_type = 'Verkaufsprovision')
UNION ALL
SELECT 'MISSING_CORRECTION', o.order_number, NULL, s.invoice_number, o.last_returned_on,
       -s.commission_net, 0.00::DECIMAL(18, 2), NULL::DATE, NULL::DATE,
       [ev(s.source_sha256, s.source_line)],
       'shipping', MAP {'order_number': o.order_number, 'returned_on': txt(o.last_returned_on),
                        'net': txt(s.commission_net), 'invoice_number': s.invoice_number}
FROM orders o
JOIN shipping_charges s ON s.order_number = o.order_number AND s.nth = 1
WHERE o.fully_returned
  AND o.last_returned_on + to_days(CAST(getvariable('correction_grace_days') AS INTEGER)) <= getvariable('as_of')
  AND NOT EXISTS (SELECT 1 FROM correction_lines k
                  WHERE k.order_number = o.order_number AND k.service_type = 'Versandkostenprovision');
