-- PAYOUT_MISMATCH, SETTLEMENT_MISSING, SETTLEMENT_UNKNOWN: the payouts against the documents they settle.
-- Amounts here are as on the payout statement: the signed effect on the seller's balance.
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
FROM documents d
WHERE d.settlement_day <= getvariable('as_of') AND NOT d.settled
UNION ALL
SELECT 'SETTLEMENT_UNKNOWN', s.order_number, NULL, s.document_number, s.payout_date, NULL, s.amount,
       NULL::DATE, NULL::DATE, [ev(s.source_sha256, s.source_line)],
       format('payout {} settles {} {} ({}), a document that was never imported', s.payout_number,
              s.document_type, s.document_number, eur(s.amount))
FROM payout_line_status s
WHERE s.status = 'unbekannt';
