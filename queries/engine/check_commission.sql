-- COMMISSION_MISMATCH: a product commission line whose net, VAT or gross differs from rate x gross price
-- (or from the tier schedule's marginal sum). Stated in net EUR (what the fee costs a VAT-registered
-- seller); a VAT-only error in VAT EUR. explained: the net difference it accounts for in the tie-out.
-- tier_parts: how a tiered expectation was built (the engine words that message from the catalogue).
SELECT 'COMMISSION_MISMATCH' AS kind, order_number, position_item_id, invoice_number AS document_number,
       invoice_date AS document_date,
       CASE WHEN exp_net IS NULL THEN NULL
            WHEN exp_net <> commission_net THEN exp_net
            WHEN exp_vat <> vat THEN exp_vat ELSE exp_gross END AS expected,
       CASE WHEN exp_net IS NULL OR exp_net <> commission_net THEN commission_net
            WHEN exp_vat <> vat THEN vat ELSE commission_gross END AS actual,
       NULL::DATE AS expected_date, NULL::DATE AS actual_date,
       CASE WHEN sold_sha IS NULL THEN [ev(source_sha256, source_line)]
            ELSE [ev(source_sha256, source_line), ev(sold_sha, sold_line)] END AS evidence,
       CASE WHEN exp_net IS NULL THEN
                format('category ''{}'' has no commission rate in the fee table on {}; invoiced {} net',
                       coalesce(category, ''), rate_day, eur(commission_net))
            WHEN exp_net <> commission_net THEN
                format('commission {}% of {} EUR expected {}, invoiced {} (at {}%)', pct(table_rate),
                       eur(expected_base), eur(exp_net), eur(commission_net), pct(coalesce(commission_rate, 0)))
            WHEN exp_vat <> vat THEN
                format('VAT {}% on commission {} expected {}, invoiced {}', pct(vat_rate_table),
                       eur(commission_net), eur(exp_vat), eur(vat))
            ELSE format('commission gross expected {} (net {} + VAT {}), invoiced {}', eur(exp_gross),
                        eur(commission_net), eur(vat), eur(commission_gross))
       END AS message,
       commission_net - coalesce(exp_net, 0.00) AS explained,
       CASE WHEN tiered AND exp_net <> commission_net THEN tier_parts(category, rate_day, expected_base) END
           AS tier_parts,
       category
FROM charge_check
WHERE nth = 1
  AND (exp_net IS NULL OR exp_net <> commission_net OR exp_vat <> vat OR exp_gross <> commission_gross
       OR commission_net + vat <> commission_gross);
