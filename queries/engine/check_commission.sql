-- COMMISSION_MISMATCH: a product commission line whose net, VAT or gross differs from rate x gross price
-- (or from the tier schedule's marginal sum). Stated in net EUR (what the fee costs a VAT-registered
-- seller); a VAT-only error in VAT EUR. explained: the net difference it accounts for in the tie-out.
-- tier_parts: how a tiered expectation was built (the engine words it as the `tiered` message).
-- With payment_fee_in_commission a line's net is not checked alone (the invoice carries the category
-- commission minus the order's payment fee): its VAT and gross are checked against its own net, and each
-- order's invoice + payment fee against the category commission (model commission_payment_fees).
WITH lines AS (
    SELECT *, CASE WHEN getvariable('payment_fee_in_commission') AND exp_net IS NOT NULL THEN commission_net
                   ELSE exp_net END AS e_net,
           CASE WHEN getvariable('payment_fee_in_commission') AND exp_net IS NOT NULL
                THEN pct_of(commission_net, vat_rate_table) ELSE exp_vat END AS e_vat,
           CASE WHEN getvariable('payment_fee_in_commission') AND exp_net IS NOT NULL
                THEN commission_net + pct_of(commission_net, vat_rate_table) ELSE exp_gross END AS e_gross
    FROM charge_check
)
SELECT 'COMMISSION_MISMATCH' AS kind, order_number, position_item_id, invoice_number AS document_number,
       invoice_date AS document_date,
       CASE WHEN e_net IS NULL THEN NULL
            WHEN e_net <> commission_net THEN e_net
            WHEN e_vat <> vat THEN e_vat ELSE e_gross END AS expected,
       CASE WHEN e_net IS NULL OR e_net <> commission_net THEN commission_net
            WHEN e_vat <> vat THEN vat ELSE commission_gross END AS actual,
       NULL::DATE AS expected_date, NULL::DATE AS actual_date,
       CASE WHEN sold_sha IS NULL THEN [ev(source_sha256, source_line)]
            ELSE [ev(source_sha256, source_line), ev(sold_sha, sold_line)] END AS evidence,
       CASE WHEN e_net IS NULL THEN 'no_rate' WHEN e_net <> commission_net AND tiered THEN 'tiered'
            WHEN e_net <> commission_net THEN 'net' WHEN e_vat <> vat THEN 'vat' ELSE 'gross' END AS message_key,
       CASE WHEN e_net IS NULL THEN
                MAP {'category': coalesce(category, ''), 'day': txt(rate_day), 'net': txt(commission_net)}
            WHEN e_net <> commission_net AND tiered THEN
                MAP {'category': category, 'expected': txt(e_net), 'actual': txt(commission_net)}
            WHEN e_net <> commission_net THEN
                MAP {'rate': txt(table_rate), 'base': txt(expected_base), 'expected': txt(e_net),
                     'actual': txt(commission_net), 'invoiced_rate': txt(coalesce(commission_rate, 0))}
            WHEN e_vat <> vat THEN
                MAP {'vat_rate': txt(vat_rate_table), 'net': txt(commission_net), 'expected': txt(e_vat),
                     'actual': txt(vat)}
            ELSE MAP {'expected': txt(e_gross), 'net': txt(commission_net), 'vat': txt(vat),
                      'actual': txt(commission_gross)}
       END AS params,
       commission_net - coalesce(e_net, 0.00) AS explained,
       CASE WHEN tiered AND e_net <> commission_net THEN tier_parts(category, rate_day, expected_base) END
           AS tier_parts
FROM lines
WHERE nth = 1
  AND (e_net IS NULL OR e_net <> commission_net OR e_vat <> vat OR e_gross <> commission_gross
       OR commission_net + vat <> commission_gross)
UNION ALL
SELECT 'COMMISSION_MISMATCH', order_number, NULL, invoice_number, invoice_date, expected_net, invoiced_net,
       NULL::DATE, NULL::DATE, evidence, CASE WHEN fee_unknown THEN 'payment_fee_unknown' ELSE 'payment_fee' END,
       MAP {'order_number': order_number, 'commission': txt(category_net), 'payment_fee': txt(payment_fee),
            'expected': txt(expected_net), 'actual': txt(invoiced_net)},
       invoiced_net - expected_net, NULL
FROM commission_payment_fees
WHERE invoiced_net <> expected_net;
