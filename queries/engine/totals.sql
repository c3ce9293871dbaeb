-- Totals for the period (document dates between date_from and date_to), invoiced next to expected.
-- Gross EUR throughout: these are the amounts that move on the settlement account. Reads the models
-- (queries/model): every expected amount is computed there, here it is only summed for the period.
WITH period AS (SELECT getvariable('date_from') AS d0, least(getvariable('date_to'), getvariable('as_of')) AS d1),
item_fees AS (SELECT e.* FROM expected_item_fees e, period WHERE e.due_invoice_day BETWEEN period.d0 AND period.d1),
shipping_fees AS (
    SELECT e.* FROM expected_shipping_fees e, period WHERE e.due_invoice_day BETWEEN period.d0 AND period.d1
),
base_fees AS (SELECT m.* FROM base_fee_months m, period WHERE m.month BETWEEN period.d0 AND period.d1),
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
pay AS (SELECT p.* FROM payout_totals p, period WHERE p.payout_date BETWEEN period.d0 AND period.d1)
SELECT
    (SELECT coalesce(sum(total_gross), 0) FROM rec WHERE receipt_type = 'PURCHASE') AS sales_gross,
    (SELECT coalesce(sum(total_gross), 0) FROM rec WHERE receipt_type <> 'PURCHASE') AS refunds_gross,
    (SELECT coalesce(sum(commission_net), 0) FROM inv WHERE service_type = 'Verkaufsprovision') AS invoiced_commission_net,
    (SELECT coalesce(sum(commission_gross), 0) FROM inv WHERE service_type = 'Verkaufsprovision') AS invoiced_commission_gross,
    (SELECT coalesce(sum(net), 0) FROM item_fees) AS expected_commission_net,
    (SELECT coalesce(sum(net + vat), 0) FROM item_fees) AS expected_commission_gross,
    (SELECT count(*) FROM item_fees WHERE unpriced) AS unpriced_items,
    (SELECT coalesce(sum(commission_net), 0) FROM inv WHERE service_type = 'Versandkostenprovision') AS invoiced_shipping_commission_net,
    (SELECT coalesce(sum(commission_gross), 0) FROM inv WHERE service_type = 'Versandkostenprovision') AS invoiced_shipping_commission_gross,
    (SELECT coalesce(sum(net), 0) FROM shipping_fees) AS expected_shipping_commission_net,
    (SELECT coalesce(sum(net + vat), 0) FROM shipping_fees) AS expected_shipping_commission_gross,
    (SELECT coalesce(sum(commission_net), 0) FROM inv WHERE service_type = 'Grundgebühr') AS invoiced_base_fee_net,
    (SELECT coalesce(sum(commission_gross), 0) FROM inv WHERE service_type = 'Grundgebühr') AS invoiced_base_fee_gross,
    (SELECT coalesce(sum(net), 0) FROM base_fees) AS expected_base_fee_net,
    (SELECT coalesce(sum(net + vat), 0) FROM base_fees) AS expected_base_fee_gross,
    (SELECT coalesce(sum(commission_net), 0) FROM cor) AS corrections_net,
    (SELECT coalesce(sum(commission_gross), 0) FROM cor) AS corrections_gross,
    (SELECT coalesce(sum(gross), 0) FROM expected_corrections) AS expected_corrections_gross,
    (SELECT coalesce(sum(payout_total), 0) FROM pay) AS payouts_total,
    (SELECT count(*) FROM pay) AS payouts_count;
