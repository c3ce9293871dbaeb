-- PAYOUT_MISMATCH, SETTLEMENT_MISSING, SETTLEMENT_UNKNOWN: the payouts against the documents they settle.
-- Amounts here are as on the payout statement: the signed effect on the seller's balance.
SELECT 'PAYOUT_MISMATCH' AS kind, NULL AS order_number, NULL AS position_item_id, payout_number AS document_number,
       payout_date AS document_date, line_sum AS expected, payout_total AS actual,
       NULL::DATE AS expected_date, NULL::DATE AS actual_date, [evidence] AS evidence,
       'total' AS message_key, MAP {'total': txt(payout_total), 'line_sum': txt(line_sum)} AS params
FROM payout_totals WHERE payout_total <> line_sum
UNION ALL
SELECT 'PAYOUT_MISMATCH', coalesce(s.order_number, s.document_order_number), NULL, s.payout_number, s.payout_date,
       CASE WHEN s.nth > 1 THEN 0.00 ELSE s.document_amount END::DECIMAL(18, 2), s.amount, NULL::DATE, NULL::DATE,
       [ev(s.source_sha256, s.source_line), s.document_evidence],
       CASE WHEN s.nth > 1 THEN 'again' ELSE 'line' END,
       CASE WHEN s.nth > 1 THEN MAP {'document_type': s.document_type, 'document_number': s.document_number,
                                    'amount': txt(s.amount)}
            ELSE MAP {'document_type': s.document_type, 'document_number': s.document_number,
                      'amount': txt(s.amount), 'document_amount': txt(s.document_amount)} END
FROM payout_line_status s
WHERE s.status IN ('doppelt', 'abweichend')
UNION ALL
SELECT 'SETTLEMENT_MISSING', d.order_number, NULL, d.number, d.document_date, d.amount, 0.00::DECIMAL(18, 2),
       NULL::DATE, NULL::DATE, [d.evidence],
       'missing', MAP {'document_type': d.document_type, 'document_number': d.number, 'amount': txt(d.amount),
                       'due': txt(d.due_date), 'settlement_day': txt(d.settlement_day)}
FROM documents d
WHERE d.settlement_day <= getvariable('as_of') AND NOT d.settled
UNION ALL
SELECT 'SETTLEMENT_UNKNOWN', s.order_number, NULL, s.document_number, s.payout_date, NULL, s.amount,
       NULL::DATE, NULL::DATE, [ev(s.source_sha256, s.source_line)],
       'unknown', MAP {'payout_number': s.payout_number, 'document_type': s.document_type,
                       'document_number': s.document_number, 'amount': txt(s.amount)}
FROM payout_line_status s
WHERE s.status = 'unbekannt';
