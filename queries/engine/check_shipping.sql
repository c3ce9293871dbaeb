-- SHIPPING_COMMISSION_MISMATCH: the shipping commission differs from the fee table's rate (16 %) on the
-- order's gross shipping costs (expected_shipping_fees, by delivery-cost type where the table says so), or an
-- order's shipping was charged more than once. explained: the net difference it accounts for in the tie-out.
WITH checked AS (
    SELECT c.*, o.gross AS shipping_gross, o.evidence AS receipt_evidence, x.net AS order_net,
           EXISTS (SELECT 1 FROM sold s WHERE s.order_number = c.order_number) AS order_known,
           coalesce(c.shipped_on, o.shipped_on, c.invoice_date) AS rate_day
    FROM shipping_charges c LEFT JOIN order_shipping o USING (order_number)
    LEFT JOIN expected_shipping_fees x USING (order_number)
), priced AS (
    SELECT k.*, r.rate AS table_rate, v.rate AS vat_rate_table,
           CASE WHEN k.shipping_gross IS NOT NULL THEN k.shipping_gross
                WHEN k.order_known THEN 0.00 ELSE k.base_gross END AS expected_base
    FROM checked k
    LEFT JOIN shipping_rates r ON k.rate_day BETWEEN r.valid_from AND r.valid_to
    LEFT JOIN vat_rates v ON k.rate_day BETWEEN v.valid_from AND v.valid_to
), expected AS (
    SELECT p.*, pct_of(p.exp_net, p.vat_rate_table) AS exp_vat
    FROM (SELECT q.*, coalesce(q.order_net, fee_net(q.expected_base, q.table_rate)) AS exp_net FROM priced q) p
)
SELECT 'SHIPPING_COMMISSION_MISMATCH' AS kind, e.order_number, NULL AS position_item_id,
       e.invoice_number AS document_number, e.invoice_date AS document_date,
       CASE WHEN e.nth > 1 THEN 0.00 WHEN e.exp_net <> e.commission_net THEN e.exp_net
            ELSE e.exp_vat END::DECIMAL(18, 2) AS expected,
       CASE WHEN e.nth > 1 OR e.exp_net <> e.commission_net THEN e.commission_net ELSE e.vat END AS actual,
       NULL::DATE AS expected_date, NULL::DATE AS actual_date,
       CASE WHEN e.nth > 1 THEN [ev(e.source_sha256, e.source_line), ev(f.source_sha256, f.source_line)]
            WHEN e.receipt_evidence IS NULL THEN [ev(e.source_sha256, e.source_line)]
            ELSE [ev(e.source_sha256, e.source_line), e.receipt_evidence] END AS evidence,
       CASE WHEN e.nth > 1 THEN format('shipping of order {} charged again ({} net); first charged in {}',
                                       e.order_number, eur(e.commission_net), f.invoice_number)
            WHEN e.exp_net <> e.commission_net THEN
                format('shipping commission {}% of {} EUR expected {}, invoiced {}', pct(e.table_rate),
                       eur(e.expected_base), eur(e.exp_net), eur(e.commission_net))
            ELSE format('VAT {}% on shipping commission {} expected {}, invoiced {}', pct(e.vat_rate_table),
                        eur(e.commission_net), eur(e.exp_vat), eur(e.vat))
       END AS message,
       CASE WHEN e.nth > 1 THEN e.commission_net ELSE e.commission_net - e.exp_net END AS explained
FROM expected e
LEFT JOIN shipping_charges f ON f.order_number = e.order_number AND f.nth = 1
WHERE e.nth > 1 OR e.exp_net <> e.commission_net OR e.exp_vat <> e.vat
   OR e.commission_net + e.vat <> e.commission_gross;
