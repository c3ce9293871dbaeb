-- needs:
-- The payment fee each receipt costs or gives back by the fee table's dated [[payment_fee]] rate (percent of
-- the receipt's gross, half-up to the cent; a refund's fee is refunded at the rate of its own day). Empty
-- without such an entry. The one place the rate is applied: payment_fees (the statements' fees checked)
-- and commission_payment_fees (payment_fee_in_commission) select from here.
CREATE OR REPLACE TEMP TABLE receipt_payment_fees AS
SELECT r.receipt_number, r.order_number, r.receipt_type, berlin_day(r.created_at) AS receipt_day,
       abs(r.total_gross) AS gross, x.value AS rate, pct_of(abs(r.total_gross), x.value) AS fee,
       ev(r.source_sha256, r.source_line) AS evidence, r.created_at
FROM receipts r
JOIN fee_schedule x ON x.kind = 'payment_fee' AND berlin_day(r.created_at) BETWEEN x.valid_from AND x.valid_to;
