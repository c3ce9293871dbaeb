-- PAYOUT_MISMATCH, SETTLEMENT_MISSING, SETTLEMENT_UNKNOWN: the payouts (payout CSVs and account statements)
-- against the documents they settle. Amounts are the signed effect on the seller's balance. A settlement
-- seen in a payout CSV and a statement with the same amount is one settlement: the statement's side is
-- reported only where it says something the payout CSV does not.
SELECT 'PAYOUT_MISMATCH' AS kind, NULL AS order_number, NULL AS position_item_id, payout_number AS document_number,
       payout_date AS document_date, line_sum AS expected, payout_total AS actual,
       NULL::DATE AS expected_date, NULL::DATE AS actual_date, [evidence] AS evidence,
       format('payout total {}, but its lines add up to {}', eur(payout_total), eur(line_sum)) AS message
FROM payout_totals WHERE payout_total <> line_sum
UNION ALL
SELECT 'PAYOUT_MISMATCH', coalesce(s.order_number, s.document_order_number), NULL, s.payout_number, s.payout_date,
       CASE WHEN s.nth > 1 THEN 0.00 ELSE s.document_amount END::DECIMAL(18, 2), s.amount, NULL::DATE, NULL::DATE,
       [ev(s.source_sha256, s.source_line), s.document_evidence],
       CASE WHEN s.nth > 1 THEN format('{} {} settled a second time ({})', s.document_type, s.document_number,
                                       eur(s.amount))
            ELSE format('{} {} settled with {}, the document says {}', s.document_type, s.document_number,
                        eur(s.amount), eur(s.document_amount)) END
FROM payout_line_status s
WHERE s.status IN ('doppelt', 'abweichend')
UNION ALL
SELECT 'SETTLEMENT_MISSING', d.order_number, NULL, d.number, d.document_date, d.amount, 0.00::DECIMAL(18, 2),
       NULL::DATE, NULL::DATE, [d.evidence],
       format('{} {} ({}) was due on {} and should have been settled on {}, but is in no payout',
              d.document_type, d.number, eur(d.amount), d.due_date, d.settlement_day)
FROM documents d JOIN settlements x USING (number)
WHERE d.settlement_day <= getvariable('as_of') AND NOT x.settled
UNION ALL
SELECT 'SETTLEMENT_UNKNOWN', s.order_number, NULL, s.document_number, s.payout_date, NULL, s.amount,
       NULL::DATE, NULL::DATE, [ev(s.source_sha256, s.source_line)],
       format('payout {} settles {} {} ({}), a document that was never imported', s.payout_number,
              s.document_type, s.document_number, eur(s.amount))
FROM payout_line_status s
WHERE s.status = 'unbekannt'
UNION ALL
SELECT 'PAYOUT_MISMATCH', coalesce(m.order_number, d.order_number), NULL, m.matched_number, m.booking_date,
       CASE WHEN m.status = 'again' THEN 0.00 ELSE m.document_amount END::DECIMAL(18, 2), m.amount,
       NULL::DATE, NULL::DATE, [m.evidence, m.document_evidence],
       CASE WHEN m.status = 'again'
            THEN format('{} {} settled a second time on the {} statement ({}, transaction {})', m.document_type,
                        m.matched_number, m.account, eur(m.amount), m.transaction_id)
            ELSE format('{} {} settled on the {} statement with {} (transaction {}), the document says {}',
                        m.document_type, m.matched_number, m.account, eur(m.amount), m.transaction_id,
                        eur(m.document_amount)) END
FROM statement_matches m JOIN documents d ON d.number = m.matched_number
WHERE m.status IN ('again', 'other_amount')
  AND NOT EXISTS (SELECT 1 FROM payout_line_status q WHERE q.document_number = m.matched_number AND q.amount = m.amount)
UNION ALL
SELECT 'SETTLEMENT_UNKNOWN', m.order_number, NULL, m.document_number, m.booking_date, NULL, m.amount,
       NULL::DATE, NULL::DATE, [m.evidence],
       format('{} transaction {} ({}, {}) settles {}, which was never imported', m.account, m.transaction_id,
              m.transaction_type, eur(m.amount),
              coalesce('document ' || m.document_number, 'no document of order ' || m.order_number || ' with this amount'))
FROM statement_matches m
WHERE m.status = 'no_document'
  AND NOT EXISTS (SELECT 1 FROM payout_line_status q WHERE q.document_number = m.document_number AND q.amount = m.amount)
UNION ALL
-- A payout (or direct debit) takes the whole balance: afterwards the account is at zero.
SELECT 'PAYOUT_MISMATCH', NULL, NULL, p.transaction_id, p.booking_date, -p.balance_before, p.amount,
       NULL::DATE, NULL::DATE, [p.evidence],
       format('{} {} of {} on the {} statement leaves a balance of {} (the balance before it was {})',
              p.transaction_type, p.transaction_id, eur(p.amount), p.account, eur(p.balance), eur(p.balance_before))
FROM statement_payouts p
WHERE p.balance <> 0
UNION ALL
-- The statements' payouts of a day settle the documents of that day's payout CSVs: what their cycles
-- booked for documents adds up to the payout totals (payment fees and other types are not in a payout CSV).
SELECT 'PAYOUT_MISMATCH', NULL, NULL, c.payout_numbers, c.payout_date, c.payout_total, s.documents,
       NULL::DATE, NULL::DATE, c.evidence || s.evidence,
       format('the statements pay out {} on {} for {} of documents (and {} of payment fees and other), '
              || 'but payout {} says {}', eur(-s.paid), c.payout_date, eur(s.documents), eur(s.other),
              c.payout_numbers, eur(c.payout_total))
FROM (SELECT payout_date, string_agg(payout_number, ', ' ORDER BY payout_number) AS payout_numbers,
             sum(payout_total) AS payout_total, list(evidence ORDER BY payout_number) AS evidence
      FROM payout_totals GROUP BY payout_date) c
JOIN (SELECT booking_date, sum(documents) AS documents, sum(other) AS other, sum(amount) AS paid,
             list(evidence ORDER BY account, transaction_id) AS evidence
      FROM statement_payouts GROUP BY booking_date) s ON s.booking_date = c.payout_date
WHERE s.documents <> c.payout_total;
