-- COMMISSION_MISMATCH: a product commission line whose net, VAT or gross differs from rate x gross price
-- (or from the tier schedule's marginal sum). Stated in net EUR (what the fee costs a VAT-registered
-- seller); a VAT-only error in VAT EUR. explained: the net difference it accounts for in the tie-out.
-- tier_parts: how a tiered expectation was built (the engine words it as the `tiered` message).
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
       CASE WHEN exp_net IS NULL THEN 'no_rate' WHEN exp_net <> commission_net AND tiered THEN 'tiered'
            WHEN exp_net <> commission_net THEN 'net' WHEN exp_vat <> vat THEN 'vat' ELSE 'gross' END AS message_key,
       CASE WHEN exp_net IS NULL THEN
                MAP {'category': coalesce(category, ''), 'day': txt(rate_day), 'net': txt(commission_net)}
            WHEN exp_net <> commission_net AND tiered THEN
                MAP {'category': category, 'expected': txt(exp_net), 'actual': txt(commission_net)}
            WHEN exp_net <> commission_net THEN
                MAP {'rate': txt(table_rate), 'base': txt(expected_base), 'expected': txt(exp_net),
                     'actual': txt(commission_net), 'invoiced_rate': txt(coalesce(commission_rate, 0))}
            WHEN exp_vat <> vat THEN
                MAP {'vat_rate': txt(vat_rate_table), 'net': txt(commission_net), 'expected': txt(exp_vat),
                     'actual': txt(vat)}
            ELSE MAP {'expected': txt(exp_gross), 'net': txt(commission_net), 'vat': txt(vat),
                      'actual': txt(commission_gross)}
       END AS params,
       commission_net - coalesce(exp_net, 0.00) AS explained,
       CASE WHEN tiered AND exp_net <> commission_net THEN tier_parts(category, rate_day, expected_base) END
           AS tier_parts
FROM charge_check
WHERE nth = 1
  AND (exp_net IS NULL OR exp_net <> commission_net OR exp_vat <> vat OR exp_gross <> commission_gross
       OR commission_net + vat <> commission_gross);
