-- Totals for the period (document dates between date_from and date_to), invoiced next to expected.
-- Gross EUR throughout: these are the amounts that move on the settlement account.
WITH period AS (SELECT getvariable('date_from') AS d0, least(getvariable('date_to'), getvariable('as_of')) AS d1),
known_category AS (
    SELECT sku, arg_max(category, invoice_date) AS category
    FROM invoice_lines WHERE service_type = 'Verkaufsprovision' AND sku IS NOT NULL AND category IS NOT NULL
    GROUP BY sku
),
expected_items AS (
    SELECT s.*, coalesce(c.category, k.category) AS category, invoice_day(s.shipped_on) AS due_invoice_day
    FROM sold s
    LEFT JOIN charges c ON c.position_item_id = s.position_item_id AND c.nth = 1
    LEFT JOIN known_category k ON k.sku = s.sku
),
expected_item_fees AS (
    SELECT pct_of(e.gross, r.rate) AS net, pct_of(pct_of(e.gross, r.rate), v.rate) AS vat, r.rate IS NULL AS unpriced
    FROM expected_items e, period
    LEFT JOIN commission_rates r ON r.category = e.category AND e.shipped_on BETWEEN r.valid_from AND r.valid_to
    LEFT JOIN vat_rates v ON e.shipped_on BETWEEN v.valid_from AND v.valid_to
    WHERE e.due_invoice_day BETWEEN period.d0 AND period.d1
),
expected_shipping AS (
    SELECT pct_of(o.gross, r.rate) AS net, pct_of(pct_of(o.gross, r.rate), v.rate) AS vat
    FROM order_shipping o, period
    LEFT JOIN shipping_rates r ON o.shipped_on BETWEEN r.valid_from AND r.valid_to
    LEFT JOIN vat_rates v ON o.shipped_on BETWEEN v.valid_from AND v.valid_to
    WHERE invoice_day(o.shipped_on) BETWEEN period.d0 AND period.d1 AND o.gross > 0
),
fee_months AS (
    SELECT CAST(m AS DATE) AS month FROM period, (
        SELECT unnest(generate_series(
            coalesce(getvariable('first_fee_month'),
                     (SELECT min(CAST(date_trunc('month', coalesce(period_from, invoice_date)) AS DATE))
                      FROM invoice_lines WHERE service_type = 'Grundgebühr')),
            getvariable('as_of'), INTERVAL 1 MONTH)) AS m)
    WHERE CAST(m AS DATE) BETWEEN period.d0 AND period.d1
),
expected_base AS (
    SELECT CAST(f.value AS DECIMAL(18, 2)) AS net, pct_of(f.value, v.rate) AS vat
    FROM fee_months m
    JOIN fee_schedule f ON f.kind = 'base_fee' AND m.month BETWEEN f.valid_from AND f.valid_to
    LEFT JOIN vat_rates v ON m.month BETWEEN v.valid_from AND v.valid_to
),
expected_corrections AS (
    SELECT -c.commission_gross AS gross
    FROM returned x JOIN charges c ON c.position_item_id = x.position_item_id AND c.nth = 1, period
    WHERE x.returned_on BETWEEN period.d0 AND period.d1
    UNION ALL
    SELECT -s.commission_gross
    FROM orders o JOIN shipping_charges s ON s.order_number = o.order_number AND s.nth = 1, period
    WHERE o.fully_returned AND o.last_returned_on BETWEEN period.d0 AND period.d1
),
inv AS (SELECT i.* FROM invoice_lines i, period WHERE i.invoice_date BETWEEN period.d0 AND period.d1),
rec AS (SELECT r.* FROM receipts r, period WHERE berlin_day(r.created_at) BETWEEN period.d0 AND period.d1),
cor AS (SELECT k.* FROM correction_lines k, period WHERE k.correction_date BETWEEN period.d0 AND period.d1),
pay AS (
    SELECT payout_number, any_value(payout_total) AS total
    FROM payout_lines, period WHERE payout_date BETWEEN period.d0 AND period.d1 GROUP BY payout_number
)
SELECT
    (SELECT coalesce(sum(total_gross), 0) FROM rec WHERE receipt_type = 'PURCHASE') AS sales_gross,
    (SELECT coalesce(sum(total_gross), 0) FROM rec WHERE receipt_type <> 'PURCHASE') AS refunds_gross,
    (SELECT coalesce(sum(commission_net), 0) FROM inv WHERE service_type = 'Verkaufsprovision') AS invoiced_commission_net,
    (SELECT coalesce(sum(commission_gross), 0) FROM inv WHERE service_type = 'Verkaufsprovision') AS invoiced_commission_gross,
    (SELECT coalesce(sum(net), 0) FROM expected_item_fees) AS expected_commission_net,
    (SELECT coalesce(sum(net + vat), 0) FROM expected_item_fees) AS expected_commission_gross,
    (SELECT count(*) FROM expected_item_fees WHERE unpriced) AS unpriced_items,
    (SELECT coalesce(sum(commission_net), 0) FROM inv WHERE service_type = 'Versandkostenprovision') AS invoiced_shipping_commission_net,
    (SELECT coalesce(sum(commission_gross), 0) FROM inv WHERE service_type = 'Versandkostenprovision') AS invoiced_shipping_commission_gross,
    (SELECT coalesce(sum(net), 0) FROM expected_shipping) AS expected_shipping_commission_net,
    (SELECT coalesce(sum(net + vat), 0) FROM expected_shipping) AS expected_shipping_commission_gross,
    (SELECT coalesce(sum(commission_net), 0) FROM inv WHERE service_type = 'Grundgebühr') AS invoiced_base_fee_net,
    (SELECT coalesce(sum(commission_gross), 0) FROM inv WHERE service_type = 'Grundgebühr') AS invoiced_base_fee_gross,
    (SELECT coalesce(sum(net), 0) FROM expected_base) AS expected_base_fee_net,
    (SELECT coalesce(sum(net + vat), 0) FROM expected_base) AS expected_base_fee_gross,
    (SELECT coalesce(sum(commission_net), 0) FROM cor) AS corrections_net,
    (SELECT coalesce(sum(commission_gross), 0) FROM cor) AS corrections_gross,
    (SELECT coalesce(sum(gross), 0) FROM expected_corrections) AS expected_corrections_gross,
    (SELECT coalesce(sum(total), 0) FROM pay) AS payouts_total,
    (SELECT count(*) FROM pay) AS payouts_count;
