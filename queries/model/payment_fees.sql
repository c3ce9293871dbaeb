-- needs: statement_chain
-- Payment fees per order, as the account statements book them: charged (PAYMENTFEE, a positive amount
-- here) and refunded (PAYMENTFEE_REFUND), and, where the fee table has a [[payment_fee]] rate, what should
-- have been charged: the rate on the gross of each of the order's purchase receipts, half-up to the cent.
-- Only orders the statements show (a receipt paid in, or a fee) are expected to carry a fee.
CREATE OR REPLACE TEMP TABLE payment_fees AS
WITH rates AS (
    SELECT value AS rate, valid_from, valid_to FROM fee_schedule WHERE kind = 'payment_fee'
), expected AS (
    SELECT r.order_number, sum(pct_of(r.total_gross, x.rate)) AS expected, max(x.rate) AS rate,
           sum(r.total_gross) AS gross, arg_min(ev(r.source_sha256, r.source_line), r.created_at) AS evidence
    FROM receipts r JOIN rates x ON berlin_day(r.created_at) BETWEEN x.valid_from AND x.valid_to
    WHERE r.receipt_type = 'PURCHASE'
    GROUP BY r.order_number
), booked AS (
    SELECT order_number,
           coalesce(-sum(amount) FILTER (WHERE meaning = 'payment_fee'), 0) AS charged,
           coalesce(sum(amount) FILTER (WHERE meaning = 'payment_fee_refund'), 0) AS refunded,
           min(booking_date) FILTER (WHERE meaning = 'payment_fee') AS charged_on,
           min(booking_date) AS first_booked,
           list(evidence ORDER BY account, seq) FILTER (WHERE meaning = 'payment_fee') AS evidence
    FROM statement_chain
    WHERE order_number IS NOT NULL AND meaning IN ('receipt', 'payment_fee', 'payment_fee_refund')
    GROUP BY order_number
)
SELECT b.order_number, b.charged, b.refunded, coalesce(b.charged_on, b.first_booked) AS booked_on,
       e.expected, e.rate, e.gross, coalesce(b.evidence, []) || [e.evidence] AS evidence
FROM booked b LEFT JOIN expected e USING (order_number);
