-- needs: charge_check, payment_fees, receipt_payment_fees, statement_matches
-- With the setting payment_fee_in_commission (the commission invoice carries the category commission minus
-- the payment fee, which the statements settle separately), per order: the category commission of its
-- product commission lines (rate × gross, model charge_check), what they invoice, and the payment fee that
-- makes up the difference: what the statements charge the order, plus the [[payment_fee]] rate on each
-- purchase receipt no statement settles yet. The rule is invoice + payment fee = category commission, so
-- expected_net (what the invoice should carry) = category commission − payment fee. fee_unknown: a purchase
-- receipt neither on a statement nor priced by a rate (its fee counts as 0). Empty with the setting off.
-- deduction_gross: the fee with the commission's VAT on it, what the invoice's gross is lower by.
CREATE OR REPLACE TEMP TABLE commission_payment_fees AS
WITH lines AS (
    SELECT order_number, sum(exp_net) AS category_net, sum(commission_net) AS invoiced_net,
           min(invoice_date) AS invoice_date, arg_min(invoice_number, invoice_date) AS invoice_number,
           max(vat_rate_table) AS vat_rate,
           list(ev(source_sha256, source_line) ORDER BY invoice_date, invoice_number, source_line) AS evidence
    FROM charge_check
    WHERE nth = 1 AND exp_net IS NOT NULL AND order_number IS NOT NULL AND getvariable('payment_fee_in_commission')
    GROUP BY order_number
), purchases AS (
    SELECT p.order_number,
           count(*) FILTER (WHERE NOT p.settled AND f.fee IS NULL) AS unknown,
           coalesce(sum(f.fee) FILTER (WHERE NOT p.settled), 0.00) AS by_rate,
           list(f.evidence ORDER BY p.created_at) FILTER (WHERE NOT p.settled AND f.fee IS NOT NULL) AS evidence
    FROM (SELECT r.receipt_number, r.order_number, r.created_at,
                 EXISTS (SELECT 1 FROM statement_matches m WHERE m.matched_number = r.receipt_number) AS settled
          -- (with the setting off no order is in `lines`: skip the receipts, 0.3 CPU s at 1M items)
          FROM receipts r WHERE r.receipt_type = 'PURCHASE' AND getvariable('payment_fee_in_commission')) p
    LEFT JOIN receipt_payment_fees f USING (receipt_number)
    GROUP BY p.order_number
), fees AS (
    SELECT l.*, coalesce(s.charged, 0.00) AS on_statements, coalesce(u.by_rate, 0.00) AS by_rate,
           coalesce(u.unknown, 0) > 0 AS fee_unknown,
           l.evidence || coalesce(s.evidence, []) || coalesce(u.evidence, []) AS all_evidence
    FROM lines l LEFT JOIN payment_fees s USING (order_number) LEFT JOIN purchases u USING (order_number)
)
SELECT order_number, invoice_number, invoice_date, category_net, invoiced_net, on_statements, by_rate,
       on_statements + by_rate AS payment_fee, fee_unknown, category_net - (on_statements + by_rate) AS expected_net,
       on_statements + by_rate + pct_of(on_statements + by_rate, vat_rate) AS deduction_gross,
       list_filter(all_evidence, lambda e: e IS NOT NULL) AS evidence
FROM fees;
