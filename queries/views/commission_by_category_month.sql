-- Product commission per category and month: invoiced (by invoice date) next to expected (by the invoice
-- date the shipment called for). Needs engine/prepare. Period: date_from .. min(date_to, as_of).
WITH period AS (SELECT getvariable('date_from') AS d0, least(getvariable('date_to'), getvariable('as_of')) AS d1),
known_category AS (
    SELECT sku, arg_max(category, invoice_date) AS category FROM invoice_lines
    WHERE service_type = 'Verkaufsprovision' AND sku IS NOT NULL AND category IS NOT NULL GROUP BY sku
),
invoiced AS (
    SELECT coalesce(c.category, '(ohne Kategorie)') AS category,
           CAST(date_trunc('month', c.invoice_date) AS DATE) AS month,
           count(*) AS lines, sum(c.base_gross) AS base_gross, sum(c.commission_net) AS net,
           sum(c.commission_gross) AS gross
    FROM charges c, period WHERE c.invoice_date BETWEEN period.d0 AND period.d1
    GROUP BY ALL
),
expected AS (
    SELECT coalesce(coalesce(c.category, k.category), '(ohne Kategorie)') AS category,
           CAST(date_trunc('month', invoice_day(s.shipped_on)) AS DATE) AS month,
           count(*) AS items, sum(s.gross) AS sold_gross,
           sum(pct_of(s.gross, r.rate)) AS net,
           sum(pct_of(s.gross, r.rate) + pct_of(pct_of(s.gross, r.rate), v.rate)) AS gross
    FROM sold s, period
    LEFT JOIN charges c ON c.position_item_id = s.position_item_id AND c.nth = 1
    LEFT JOIN known_category k ON k.sku = s.sku
    LEFT JOIN commission_rates r ON r.category = coalesce(c.category, k.category)
                                 AND s.shipped_on BETWEEN r.valid_from AND r.valid_to
    LEFT JOIN vat_rates v ON s.shipped_on BETWEEN v.valid_from AND v.valid_to
    WHERE invoice_day(s.shipped_on) BETWEEN period.d0 AND period.d1
    GROUP BY ALL
)
SELECT category, month,
       coalesce(i.lines, 0) AS invoiced_lines, coalesce(e.items, 0) AS sold_items,
       coalesce(e.sold_gross, 0)::DECIMAL(18, 2) AS sold_gross,
       coalesce(i.net, 0)::DECIMAL(18, 2) AS invoiced_net, coalesce(e.net, 0)::DECIMAL(18, 2) AS expected_net,
       coalesce(i.gross, 0)::DECIMAL(18, 2) AS invoiced_gross, coalesce(e.gross, 0)::DECIMAL(18, 2) AS expected_gross,
       (coalesce(i.gross, 0) - coalesce(e.gross, 0))::DECIMAL(18, 2) AS difference_gross
FROM invoiced i FULL JOIN expected e USING (category, month)
ORDER BY month, category;
