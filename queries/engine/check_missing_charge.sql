-- MISSING_CHARGE: a shipped position item (or an order's shipping costs) that no invoice charged,
-- although the weekly invoice that should have charged it was due to be issued by as_of.
WITH known_category AS (
    SELECT sku, arg_max(category, invoice_date) AS category
    FROM invoice_lines WHERE service_type = 'Verkaufsprovision' AND sku IS NOT NULL AND category IS NOT NULL
    GROUP BY sku
), missing AS (
    SELECT s.*, invoice_day(s.shipped_on) AS due_invoice_day, k.category
    FROM sold s
    LEFT JOIN known_category k USING (sku)
    WHERE NOT EXISTS (SELECT 1 FROM charges c WHERE c.position_item_id = s.position_item_id)
      AND invoice_day(s.shipped_on) <= getvariable('as_of')
), weekly AS (
    SELECT invoice_date, min(invoice_number) AS invoice_number
    FROM invoice_lines WHERE service_type <> 'Grundgebühr' GROUP BY invoice_date
), priced AS (
    SELECT m.*, r.rate, w.invoice_number
    FROM missing m
    LEFT JOIN commission_rates r ON r.category = m.category AND m.shipped_on BETWEEN r.valid_from AND r.valid_to
    LEFT JOIN weekly w ON w.invoice_date = m.due_invoice_day
)
SELECT 'MISSING_CHARGE' AS kind, order_number, position_item_id, invoice_number AS document_number,
       due_invoice_day AS document_date, pct_of(gross, rate) AS expected, 0.00::DECIMAL(18, 2) AS actual,
       NULL::DATE AS expected_date, NULL::DATE AS actual_date, [ev(sha, line)] AS evidence,
       CASE WHEN rate IS NULL THEN
                format('shipped {} ({} EUR) but charged in no invoice; category unknown, so the commission ' ||
                       'cannot be priced', shipped_on, eur(gross))
            ELSE format('shipped {}, should have been charged in the invoice of {}: {}% of {} EUR = {} net',
                        shipped_on, due_invoice_day, pct(rate), eur(gross), eur(pct_of(gross, rate)))
       END AS message
FROM priced
UNION ALL
SELECT 'MISSING_CHARGE', o.order_number, NULL, w.invoice_number, invoice_day(o.shipped_on),
       pct_of(o.gross, r.rate), 0.00::DECIMAL(18, 2), NULL::DATE, NULL::DATE, [o.evidence],
       format('shipping costs {} EUR of order {} (shipped {}) charged in no invoice: {}% = {} net',
              eur(o.gross), o.order_number, o.shipped_on, pct(r.rate), eur(pct_of(o.gross, r.rate)))
FROM order_shipping o
LEFT JOIN shipping_rates r ON o.shipped_on BETWEEN r.valid_from AND r.valid_to
LEFT JOIN (SELECT invoice_date, min(invoice_number) AS invoice_number FROM invoice_lines
           WHERE service_type <> 'Grundgebühr' GROUP BY invoice_date) w ON w.invoice_date = invoice_day(o.shipped_on)
WHERE o.gross > 0
  AND invoice_day(o.shipped_on) <= getvariable('as_of')
  AND NOT EXISTS (SELECT 1 FROM shipping_charges c WHERE c.order_number = o.order_number);
