-- PAYMENT_FEE_MISMATCH: with a [[payment_fee]] rate in the fee table, the payment fees the statements charge
-- an order equal the rate on the gross of its purchase receipts (model payment_fees). Without a rate,
-- nothing is checked: the fees are only shown in the totals.
SELECT 'PAYMENT_FEE_MISMATCH' AS kind, order_number, NULL AS position_item_id, NULL AS document_number,
       booked_on AS document_date, expected, charged AS actual, NULL::DATE AS expected_date,
       NULL::DATE AS actual_date, evidence, 'order' AS message_key,
       MAP {'order_number': order_number, 'rate': txt(rate), 'gross': txt(gross), 'expected': txt(expected),
            'charged': txt(charged)} AS params
FROM payment_fees
WHERE expected IS NOT NULL AND expected <> charged;
