-- MISSING_CHARGE: a shipped position item (or an order's shipping costs) that no invoice charged,
-- although the weekly invoice that should have charged it was due to be issued by as_of. explains: the
-- totals category of the tie-out it belongs to (product commission, or shipping commission).
WITH weekly AS (
    SELECT invoice_date, min(invoice_number) AS invoice_number
    FROM invoice_lines WHERE service_type <> 'Grundgebühr' GROUP BY invoice_date
)
SELECT 'MISSING_CHARGE' AS kind, e.order_number, e.position_item_id, w.invoice_number AS document_number,
       e.due_invoice_day AS document_date, e.net AS expected, 0.00::DECIMAL(18, 2) AS actual,
       NULL::DATE AS expected_date, NULL::DATE AS actual_date, [ev(e.sha, e.line)] AS evidence,
       CASE WHEN e.unpriced THEN
                format('shipped {} ({} EUR) but charged in no invoice; category unknown, so the commission ' ||
                       'cannot be priced', e.shipped_on, eur(e.gross))
            WHEN e.rate IS NULL THEN
                format('shipped {}, should have been charged in the invoice of {}: {} tiers on {} EUR = {} net',
                       e.shipped_on, e.due_invoice_day, e.category, eur(e.gross), eur(e.net))
            ELSE format('shipped {}, should have been charged in the invoice of {}: {}% of {} EUR = {} net',
                        e.shipped_on, e.due_invoice_day, pct(e.rate), eur(e.gross), eur(e.net))
       END AS message, 'commission' AS explains
FROM expected_item_fees e
LEFT JOIN weekly w ON w.invoice_date = e.due_invoice_day
WHERE NOT e.charged AND e.due_invoice_day <= getvariable('as_of')
UNION ALL
SELECT 'MISSING_CHARGE', o.order_number, NULL, w.invoice_number, o.due_invoice_day,
       o.net, 0.00::DECIMAL(18, 2), NULL::DATE, NULL::DATE, [o.evidence],
       format('shipping costs {} EUR of order {} (shipped {}) charged in no invoice: {}% = {} net',
              eur(o.gross), o.order_number, o.shipped_on, pct(o.rate), eur(o.net)), 'shipping_commission'
FROM expected_shipping_fees o
LEFT JOIN weekly w ON w.invoice_date = o.due_invoice_day
WHERE o.due_invoice_day <= getvariable('as_of')
  AND NOT EXISTS (SELECT 1 FROM shipping_charges c WHERE c.order_number = o.order_number);
