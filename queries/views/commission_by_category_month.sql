-- Product commission per category and month: invoiced (by invoice date) next to expected (by the invoice
-- date the shipment called for). Reads the models charges and expected_item_fees.
-- Period: date_from .. min(date_to, as_of).
WITH period AS (SELECT getvariable('date_from') AS d0, least(getvariable('date_to'), getvariable('as_of')) AS d1),
invoiced AS (
    SELECT coalesce(c.category, '(ohne Kategorie)') AS category,
           CAST(date_trunc('month', c.invoice_date) AS DATE) AS month,
           count(*) AS lines, sum(c.base_gross) AS base_gross, sum(c.commission_net) AS net,
           sum(c.commission_gross) AS gross
    FROM charges c, period WHERE c.invoice_date BETWEEN period.d0 AND period.d1
    GROUP BY ALL
),
expected AS (
    SELECT coalesce(e.category, '(ohne Kategorie)') AS category,
           CAST(date_trunc('month', e.due_invoice_day) AS DATE) AS month,
           count(*) AS items, sum(e.gross) AS sold_gross, sum(e.net) AS net, sum(e.net + e.vat) AS gross
    FROM expected_item_fees e, period
    WHERE e.due_invoice_day BETWEEN period.d0 AND period.d1
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
