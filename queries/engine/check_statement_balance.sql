-- STATEMENT_BALANCE_BREAK: every transaction's balance is the one before plus its amount, within a statement
-- and across statements (a statement opens with the balance the previous one closed with).
SELECT 'STATEMENT_BALANCE_BREAK' AS kind, order_number, NULL AS position_item_id, transaction_id AS document_number,
       booking_date AS document_date, previous_balance + amount AS expected, balance AS actual,
       NULL::DATE AS expected_date, NULL::DATE AS actual_date, [previous_evidence, evidence] AS evidence,
       'break' AS message_key,
       MAP {'account': account, 'transaction_id': transaction_id, 'transaction_type': transaction_type,
            'amount': txt(amount), 'previous_balance': txt(previous_balance),
            'expected': txt(previous_balance + amount), 'balance': txt(balance)} AS params
FROM statement_chain
WHERE previous_balance IS NOT NULL AND previous_balance + amount <> balance;
