-- COMMISSION_MISMATCH: a product commission line whose net, VAT or gross differs from rate x gross price.
-- Stated in net EUR (what the fee costs a VAT-registered seller); a VAT-only error in VAT EUR.
SELECT 'COMMISSION_MISMATCH' AS kind, order_number, position_item_id, invoice_number AS document_number,
       invoice_date AS document_date,
       CASE WHEN table_rate IS NULL THEN NULL
            WHEN exp_net <> commission_net THEN exp_net
            WHEN exp_vat <> vat THEN exp_vat ELSE exp_gross END AS expected,
       CASE WHEN table_rate IS NULL OR exp_net <> commission_net THEN commission_net
            WHEN exp_vat <> vat THEN vat ELSE commission_gross END AS actual,
       NULL::DATE AS expected_date, NULL::DATE AS actual_date,
       CASE WHEN sold_sha IS NULL THEN [ev(source_sha256, source_line)]
            ELSE [ev(source_sha256, source_line), ev(sold_sha, sold_line)] END AS evidence,
       CASE WHEN table_rate IS NULL THEN 'no_rate' WHEN exp_net <> commission_net THEN 'net'
            WHEN exp_vat <> vat THEN 'vat' ELSE 'gross' END AS message_key,
       CASE WHEN table_rate IS NULL THEN
                MAP {'category': coalesce(category, ''), 'day': txt(rate_day), 'net': txt(commission_net)}
            WHEN exp_net <> commission_net THEN
                MAP {'rate': txt(table_rate), 'base': txt(expected_base), 'expected': txt(exp_net),
                     'actual': txt(commission_net), 'invoiced_rate': txt(coalesce(commission_rate, 0))}
            WHEN exp_vat <> vat THEN
                MAP {'vat_rate': txt(vat_rate_table), 'net': txt(commission_net), 'expected': txt(exp_vat),
                     'actual': txt(vat)}
            ELSE MAP {'expected': txt(exp_gross), 'net': txt(commission_net), 'vat': txt(vat),
                      'actual': txt(commission_gross)}
       END AS params
FROM charge_check
WHERE nth = 1
  AND (table_rate IS NULL OR exp_net <> commission_net OR exp_vat <> vat OR exp_gross <> commission_gross
       OR commission_net + vat <> commission_gross);
