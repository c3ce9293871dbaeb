-- Totals for the period (document dates between date_from and date_to), invoiced next to expected.
-- Gross EUR throughout: these are the amounts that move on the settlement account. Reads the models
-- (queries/model): every expected amount is computed there, here it is only summed for the period.
WITH period AS (SELECT getvariable('date_from') AS d0, least(getvariable('date_to'), getvariable('as_of')) AS d1),
item_fees AS (SELECT e.* FROM expected_item_fees e, period WHERE e.due_invoice_day BETWEEN period.d0 AND period.d1),
shipping_fees AS (
    SELECT e.* FROM expected_shipping_fees e, period WHERE e.due_invoice_day BETWEEN period.d0 AND period.d1
),
base_fees AS (SELECT m.* FROM base_fee_months m, period WHERE m.month BETWEEN period.d0 AND period.d1),
owed_corrections AS (
    SELECT e.* FROM expected_corrections e, period WHERE e.due AND e.booked_on BETWEEN period.d0 AND period.d1
),
inv AS (SELECT i.* FROM invoice_lines i, period WHERE i.invoice_date BETWEEN period.d0 AND period.d1),
rec AS (SELECT r.* FROM receipts r, period WHERE berlin_day(r.created_at) BETWEEN period.d0 AND period.d1),
cor AS (SELECT k.* FROM correction_lines k, period WHERE k.correction_date BETWEEN period.d0 AND period.d1),
pay AS (SELECT p.* FROM payout_totals p, period WHERE p.payout_date BETWEEN period.d0 AND period.d1),
fees AS (SELECT f.* FROM payment_fees f, period WHERE f.booked_on BETWEEN period.d0 AND period.d1),
fee_refunds AS (SELECT f.* FROM payment_fees f, period WHERE f.refund_booked_on BETWEEN period.d0 AND period.d1),
-- payment_fee_in_commission: the invoice carries the category commission minus the order's payment fee.
in_commission AS (
    SELECT c.* FROM commission_payment_fees c, period WHERE c.invoice_date BETWEEN period.d0 AND period.d1
),
other AS (SELECT c.* FROM statement_chain c, period
          WHERE c.meaning = 'other' AND c.booking_date BETWEEN period.d0 AND period.d1),
-- What the period's payouts should have paid: each line's document amount (nothing for a document settled
-- before or never imported), plus every document overdue and in no payout (dated in the period).
owed_payouts AS (
    SELECT CASE WHEN s.status IN ('unbekannt', 'doppelt') THEN 0.00 ELSE s.document_amount END AS amount
    FROM payout_line_status s, period WHERE s.payout_date BETWEEN period.d0 AND period.d1
    UNION ALL
    SELECT d.amount FROM documents d JOIN settlements s USING (number), period
    WHERE d.settlement_day <= getvariable('as_of') AND NOT s.settled AND d.document_date BETWEEN period.d0 AND period.d1
)
SELECT
    (SELECT coalesce(sum(total_gross), 0) FROM rec WHERE receipt_type = 'PURCHASE') AS sales_gross,
    (SELECT coalesce(sum(total_gross), 0) FROM rec WHERE receipt_type <> 'PURCHASE') AS refunds_gross,
    (SELECT coalesce(sum(commission_net), 0) FROM inv WHERE service_type = 'Verkaufsprovision') AS invoiced_commission_net,
    (SELECT coalesce(sum(commission_gross), 0) FROM inv WHERE service_type = 'Verkaufsprovision') AS invoiced_commission_gross,
    (SELECT coalesce(sum(net), 0) FROM item_fees)
        - (SELECT coalesce(sum(payment_fee), 0) FROM in_commission) AS expected_commission_net,
    (SELECT coalesce(sum(net + vat), 0) FROM item_fees)
        - (SELECT coalesce(sum(deduction_gross), 0) FROM in_commission) AS expected_commission_gross,
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
    (SELECT coalesce(sum(net), 0) FROM owed_corrections) AS expected_corrections_net,
    (SELECT coalesce(sum(gross), 0) FROM owed_corrections) AS expected_corrections_gross,
    (SELECT coalesce(sum(payout_total), 0) FROM pay) AS payouts_total,
    (SELECT count(*) FROM pay) AS payouts_count,
    (SELECT coalesce(sum(amount), 0) FROM owed_payouts) AS expected_payouts_total,
    (SELECT coalesce(sum(charged), 0) FROM fees) AS payment_fees_charged,
    (SELECT coalesce(sum(refunded), 0) FROM fee_refunds) AS payment_fees_refunded,
    (SELECT coalesce(sum(expected), 0) FROM fees) AS expected_payment_fees,
    (SELECT coalesce(sum(expected_refund), 0) FROM fee_refunds) AS expected_payment_fee_refunds,
    (SELECT coalesce(sum(amount), 0) FROM other) AS statement_other;
