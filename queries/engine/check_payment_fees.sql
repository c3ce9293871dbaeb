-- PAYMENT_FEE_MISMATCH: with a [[payment_fee]] rate in the fee table, the payment fees the statements charge
-- an order equal the rate on the gross of its purchase receipts, and the fees they refund (PAYMENTFEE_REFUND)
-- equal the rate on the gross of its refund receipts (model payment_fees). Without a rate, nothing is
-- checked: the fees are only shown in the totals. Stated as a cost to the seller (a refund negative), so a
-- positive difference means the seller paid too much, as for the other fees.
SELECT 'PAYMENT_FEE_MISMATCH' AS kind, order_number, NULL AS position_item_id, NULL AS document_number,
       booked_on AS document_date, expected, charged AS actual, NULL::DATE AS expected_date,
       NULL::DATE AS actual_date, evidence, 'order' AS message_key,
       MAP {'order_number': order_number, 'rate': txt(rate), 'gross': txt(gross), 'expected': txt(expected),
            'charged': txt(charged)} AS params
FROM payment_fees
WHERE expected IS NOT NULL AND expected <> charged
UNION ALL
SELECT 'PAYMENT_FEE_MISMATCH', order_number, NULL, NULL, refund_booked_on, -expected_refund, -refunded,
       NULL::DATE, NULL::DATE, refund_evidence, 'refund',
       MAP {'order_number': order_number, 'rate': txt(rate), 'gross': txt(coalesce(refunded_gross, 0.00)),
            'expected': txt(expected_refund), 'refund': txt(refunded)}
FROM payment_fees
WHERE expected_refund IS NOT NULL AND expected_refund <> refunded;
