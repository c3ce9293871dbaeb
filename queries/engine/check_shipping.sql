-- SHIPPING_COMMISSION_MISMATCH: the shipping commission differs from 16 % of the order's gross shipping
-- costs, or an order's shipping was charged more than once.
SELECT 'SHIPPING_COMMISSION_MISMATCH' AS kind, e.order_number, NULL AS position_item_id,
       e.invoice_number AS document_number, e.invoice_date AS document_date,
       CASE WHEN e.nth > 1 THEN 0.00 WHEN e.exp_net <> e.commission_net THEN e.exp_net
            ELSE e.exp_vat END::DECIMAL(18, 2) AS expected,
       CASE WHEN e.nth > 1 OR e.exp_net <> e.commission_net THEN e.commission_net ELSE e.vat END AS actual,
       NULL::DATE AS expected_date, NULL::DATE AS actual_date,
       CASE WHEN e.nth > 1 THEN [ev(e.source_sha256, e.source_line), ev(f.source_sha256, f.source_line)]
            WHEN e.receipt_evidence IS NULL THEN [ev(e.source_sha256, e.source_line)]
            ELSE [ev(e.source_sha256, e.source_line), e.receipt_evidence] END AS evidence,
       CASE WHEN e.nth > 1 THEN 'again' WHEN e.exp_net <> e.commission_net THEN 'net' ELSE 'vat' END AS message_key,
       CASE WHEN e.nth > 1 THEN MAP {'order_number': e.order_number, 'net': txt(e.commission_net),
                                    'first_invoice': f.invoice_number}
            WHEN e.exp_net <> e.commission_net THEN
                MAP {'rate': txt(e.table_rate), 'base': txt(e.expected_base), 'expected': txt(e.exp_net),
                     'actual': txt(e.commission_net)}
            ELSE MAP {'vat_rate': txt(e.vat_rate_table), 'net': txt(e.commission_net), 'expected': txt(e.exp_vat),
                      'actual': txt(e.vat)}
       END AS params
FROM shipping_charge_check e
LEFT JOIN shipping_charges f ON f.order_number = e.order_number AND f.nth = 1
WHERE e.nth > 1 OR e.exp_net <> e.commission_net OR e.exp_vat <> e.vat
   OR e.commission_net + e.vat <> e.commission_gross;
