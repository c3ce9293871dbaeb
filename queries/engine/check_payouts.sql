-- PAYOUT_MISMATCH, SETTLEMENT_MISSING, SETTLEMENT_UNKNOWN: the payouts (payout CSVs and account statements)
-- against the documents they settle. Amounts are the signed effect on the seller's balance. A settlement
-- seen in a payout CSV and a statement with the same amount is one settlement: the statement's side is
-- reported only where it says something the payout CSV does not.
-- explains: the statements' findings explain no cent of the payouts tie-out, which measures the payout CSVs
-- (paid out against owed); NULL takes the kind's category from the registry.
SELECT 'PAYOUT_MISMATCH' AS kind, NULL AS order_number, NULL AS position_item_id, payout_number AS document_number,
       payout_date AS document_date, line_sum AS expected, payout_total AS actual,
       NULL::DATE AS expected_date, NULL::DATE AS actual_date, [evidence] AS evidence,
       'total' AS message_key, MAP {'total': txt(payout_total), 'line_sum': txt(line_sum)} AS params,
       NULL::VARCHAR AS explains
FROM payout_totals WHERE payout_total <> line_sum
UNION ALL
SELECT 'PAYOUT_MISMATCH', coalesce(s.order_number, s.document_order_number), NULL, s.payout_number, s.payout_date,
       CASE WHEN s.nth > 1 THEN 0.00 ELSE s.document_amount END::DECIMAL(18, 2), s.amount, NULL::DATE, NULL::DATE,
       [ev(s.source_sha256, s.source_line), s.document_evidence],
       CASE WHEN s.nth > 1 THEN 'again' ELSE 'line' END,
       CASE WHEN s.nth > 1 THEN MAP {'document_type': s.document_type, 'document_number': s.document_number,
                                    'amount': txt(s.amount)}
            ELSE MAP {'document_type': s.document_type, 'document_number': s.document_number,
                      'amount': txt(s.amount), 'document_amount': txt(s.document_amount)} END,
       NULL
FROM payout_line_status s
WHERE s.status IN ('doppelt', 'abweichend')
UNION ALL
SELECT 'SETTLEMENT_MISSING', d.order_number, NULL, d.number, d.document_date, d.amount, 0.00::DECIMAL(18, 2),
       NULL::DATE, NULL::DATE, [d.evidence],
       'missing', MAP {'document_type': d.document_type, 'document_number': d.number, 'amount': txt(d.amount),
                       'due': txt(d.due_date), 'settlement_day': txt(d.settlement_day)},
       NULL
FROM documents d JOIN settlements x USING (number)
WHERE d.settlement_day <= getvariable('as_of') AND NOT x.settled
UNION ALL
SELECT 'SETTLEMENT_UNKNOWN', s.order_number, NULL, s.document_number, s.payout_date, NULL, s.amount,
       NULL::DATE, NULL::DATE, [ev(s.source_sha256, s.source_line)],
       'unknown', MAP {'payout_number': s.payout_number, 'document_type': s.document_type,
                       'document_number': s.document_number, 'amount': txt(s.amount)},
       NULL
FROM payout_line_status s
WHERE s.status = 'unbekannt'
UNION ALL
SELECT 'PAYOUT_MISMATCH', coalesce(m.order_number, d.order_number), NULL, m.matched_number, m.booking_date,
       CASE WHEN m.status = 'again' THEN 0.00 ELSE m.document_amount END::DECIMAL(18, 2), m.amount,
       NULL::DATE, NULL::DATE, [m.evidence, m.document_evidence],
       CASE WHEN m.status = 'again' THEN 'statement_again' ELSE 'statement_line' END,
       MAP {'document_type': m.document_type, 'document_number': m.matched_number, 'account': m.account,
            'amount': txt(m.amount), 'transaction_id': m.transaction_id, 'document_amount': txt(m.document_amount)},
       'statements'
FROM statement_matches m JOIN documents d ON d.number = m.matched_number
WHERE m.status IN ('again', 'other_amount')
  AND NOT EXISTS (SELECT 1 FROM payout_line_status q WHERE q.document_number = m.matched_number AND q.amount = m.amount)
UNION ALL
SELECT 'SETTLEMENT_UNKNOWN', m.order_number, NULL, m.document_number, m.booking_date, NULL, m.amount,
       NULL::DATE, NULL::DATE, [m.evidence],
       CASE WHEN m.document_number IS NULL THEN 'statement_unknown_order' ELSE 'statement_unknown' END,
       MAP {'account': m.account, 'transaction_id': m.transaction_id, 'transaction_type': m.transaction_type,
            'amount': txt(m.amount), 'document_number': m.document_number, 'order_number': m.order_number},
       'statements'
FROM statement_matches m
WHERE m.status = 'no_document'
  AND NOT EXISTS (SELECT 1 FROM payout_line_status q WHERE q.document_number = m.document_number AND q.amount = m.amount)
UNION ALL
-- A payout (or direct debit) takes the whole balance: afterwards the account is at zero.
SELECT 'PAYOUT_MISMATCH', NULL, NULL, p.transaction_id, p.booking_date, -p.balance_before, p.amount,
       NULL::DATE, NULL::DATE, [p.evidence], 'not_emptied',
       MAP {'transaction_type': p.transaction_type, 'transaction_id': p.transaction_id, 'amount': txt(p.amount),
            'account': p.account, 'balance': txt(p.balance), 'balance_before': txt(p.balance_before)},
       'statements'
FROM statement_payouts p
WHERE p.balance <> 0
UNION ALL
-- The statements' payouts of a day settle the documents of that day's payout CSVs: what their cycles
-- booked for documents adds up to the payout totals (payment fees and other types are not in a payout CSV).
SELECT 'PAYOUT_MISMATCH', NULL, NULL, c.payout_numbers, c.payout_date, c.payout_total, s.documents,
       NULL::DATE, NULL::DATE, c.evidence || s.evidence, 'statement_vs_payout',
       MAP {'paid': txt(-s.paid), 'day': txt(c.payout_date), 'documents': txt(s.documents), 'other': txt(s.other),
            'payout_number': c.payout_numbers, 'total': txt(c.payout_total)},
       'statements'
FROM (SELECT payout_date, string_agg(payout_number, ', ' ORDER BY payout_number) AS payout_numbers,
             sum(payout_total) AS payout_total, list(evidence ORDER BY payout_number) AS evidence
      FROM payout_totals GROUP BY payout_date) c
JOIN (SELECT booking_date, sum(documents) AS documents, sum(other) AS other, sum(amount) AS paid,
             list(evidence ORDER BY account, transaction_id) AS evidence
      FROM statement_payouts GROUP BY booking_date) s ON s.booking_date = c.payout_date
WHERE s.documents <> c.payout_total;
