-- needs: statement_chain, statement_matches, receipt_payment_fees
-- Payment fees per order, as the account statements book them: charged (PAYMENTFEE, a positive amount
-- here) and refunded (PAYMENTFEE_REFUND), and, where the fee table has a [[payment_fee]] rate, what should
-- have been charged and refunded: the rate on the gross of each of the order's purchase receipts (refund
-- and partial-refund receipts) that a statement settles (model receipt_payment_fees). A receipt not yet
-- paid in or out on a statement carries no fee yet. Only orders the statements show (a receipt paid in, or
-- a fee) are here.
CREATE OR REPLACE TEMP TABLE payment_fees AS
WITH settled AS (
    SELECT f.* FROM receipt_payment_fees f
    WHERE EXISTS (SELECT 1 FROM statement_matches m WHERE m.matched_number = f.receipt_number)
), expected AS (
    SELECT order_number,
           sum(fee) FILTER (WHERE receipt_type = 'PURCHASE') AS expected,
           sum(gross) FILTER (WHERE receipt_type = 'PURCHASE') AS gross,
           sum(fee) FILTER (WHERE receipt_type <> 'PURCHASE') AS expected_refund,
           sum(gross) FILTER (WHERE receipt_type <> 'PURCHASE') AS refunded_gross,
           max(rate) AS rate,
           arg_min(evidence, created_at) FILTER (WHERE receipt_type = 'PURCHASE') AS evidence,
           list(evidence ORDER BY created_at) FILTER (WHERE receipt_type <> 'PURCHASE') AS refund_evidence
    FROM settled GROUP BY order_number
), booked AS (
    SELECT order_number,
           coalesce(-sum(amount) FILTER (WHERE meaning = 'payment_fee'), 0) AS charged,
           coalesce(sum(amount) FILTER (WHERE meaning = 'payment_fee_refund'), 0) AS refunded,
           min(booking_date) FILTER (WHERE meaning = 'payment_fee') AS charged_on,
           min(booking_date) FILTER (WHERE meaning = 'payment_fee_refund') AS refunded_on,
           min(booking_date) FILTER (WHERE meaning = 'receipt' AND amount < 0) AS paid_back_on,
           min(booking_date) AS first_booked,
           list(evidence ORDER BY account, seq) FILTER (WHERE meaning = 'payment_fee') AS evidence,
           list(evidence ORDER BY account, seq) FILTER (WHERE meaning = 'payment_fee_refund') AS refund_evidence
    FROM statement_chain
    WHERE order_number IS NOT NULL AND meaning IN ('receipt', 'payment_fee', 'payment_fee_refund')
    GROUP BY order_number
)
SELECT b.order_number, b.charged, b.refunded, coalesce(b.charged_on, b.first_booked) AS booked_on,
       coalesce(b.refunded_on, b.paid_back_on, b.charged_on, b.first_booked) AS refund_booked_on,
       e.rate, e.gross, CASE WHEN e.rate IS NOT NULL THEN coalesce(e.expected, 0.00) END AS expected,
       e.refunded_gross, CASE WHEN e.rate IS NOT NULL THEN coalesce(e.expected_refund, 0.00) END AS expected_refund,
       coalesce(b.evidence, []) || CASE WHEN e.evidence IS NULL THEN [] ELSE [e.evidence] END AS evidence,
       coalesce(b.refund_evidence, []) || coalesce(e.refund_evidence, []) AS refund_evidence
FROM booked b LEFT JOIN expected e USING (order_number);
