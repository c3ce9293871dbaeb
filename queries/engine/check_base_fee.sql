-- BASE_FEE_MISMATCH: the monthly base fee differs from the fee table, was charged twice for one month,
-- before it was due, or not at all for a month that is due by as_of. explained: the net difference it
-- accounts for in the tie-out (0 for a VAT-only error).
SELECT 'BASE_FEE_MISMATCH' AS kind, NULL AS order_number, NULL AS position_item_id,
       e.invoice_number AS document_number, e.invoice_date AS document_date,
       CASE WHEN exp_net <> commission_net THEN exp_net ELSE pct_of(exp_net, vat_rate_table) END AS expected,
       CASE WHEN exp_net <> commission_net THEN commission_net ELSE vat END AS actual,
       NULL::DATE AS expected_date, NULL::DATE AS actual_date,
       [ev(e.source_sha256, e.source_line)] AS evidence,
       CASE WHEN nth > 1 THEN format('base fee for {} charged again ({} net)', strftime(fee_month, '%Y-%m'),
                                     eur(commission_net))
            WHEN fee_month < first_due THEN format('base fee for {} charged before it was due (first due {})',
                                                   strftime(fee_month, '%Y-%m'), strftime(first_due, '%Y-%m'))
            WHEN exp_net <> commission_net THEN format('base fee for {} expected {} net, invoiced {}',
                                                       strftime(fee_month, '%Y-%m'), eur(exp_net), eur(commission_net))
            ELSE format('VAT on the base fee for {} expected {}, invoiced {}', strftime(fee_month, '%Y-%m'),
                        eur(pct_of(exp_net, vat_rate_table)), eur(vat))
       END AS message,
       commission_net - exp_net AS explained
FROM base_fee_lines e
WHERE exp_net <> commission_net OR pct_of(exp_net, vat_rate_table) <> vat OR commission_net + vat <> commission_gross
UNION ALL
SELECT 'BASE_FEE_MISMATCH', NULL, NULL, NULL, m.month, m.net, 0.00::DECIMAL(18, 2), NULL::DATE,
       NULL::DATE, [], format('no base fee invoice for {} (expected {} net)', strftime(m.month, '%Y-%m'), eur(m.net)),
       -m.net
FROM base_fee_months m
WHERE NOT m.invoiced;
