-- MISSING_CHARGE: a shipped position item (or an order's shipping costs) that no invoice charged,
-- although the weekly invoice that should have charged it was due to be issued by as_of.
WITH weekly AS (
    SELECT invoice_date, min(invoice_number) AS invoice_number
    FROM invoice_lines WHERE service_type <> 'Grundgebühr' GROUP BY invoice_date
)
SELECT 'MISSING_CHARGE' AS kind, e.order_number, e.position_item_id, w.invoice_number AS document_number,
       e.due_invoice_day AS document_date, e.net AS expected, 0.00::DECIMAL(18, 2) AS actual,
       NULL::DATE AS expected_date, NULL::DATE AS actual_date, [ev(e.sha, e.line)] AS evidence,
       CASE WHEN e.rate IS NULL THEN 'unpriced' ELSE 'item' END AS message_key,
       CASE WHEN e.rate IS NULL THEN MAP {'shipped_on': txt(e.shipped_on), 'gross': txt(e.gross)}
            ELSE MAP {'shipped_on': txt(e.shipped_on), 'invoice_day': txt(e.due_invoice_day), 'rate': txt(e.rate),
                      'gross': txt(e.gross), 'expected': txt(e.net)}
       END AS params
FROM expected_item_fees e
LEFT JOIN weekly w ON w.invoice_date = e.due_invoice_day
WHERE NOT e.charged AND e.due_invoice_day <= getvariable('as_of')
UNION ALL
SELECT 'MISSING_CHARGE', o.order_number, NULL, w.invoice_number, o.due_invoice_day,
       o.net, 0.00::DECIMAL(18, 2), NULL::DATE, NULL::DATE, [o.evidence],
       'shipping', MAP {'gross': txt(o.gross), 'order_number': o.order_number, 'shipped_on': txt(o.shipped_on),
                        'rate': txt(o.rate), 'expected': txt(o.net)}
FROM expected_shipping_fees o
LEFT JOIN weekly w ON w.invoice_date = o.due_invoice_day
WHERE o.due_invoice_day <= getvariable('as_of')
  AND NOT EXISTS (SELECT 1 FROM shipping_charges c WHERE c.order_number = o.order_number);
