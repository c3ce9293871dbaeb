-- CORRECTION_MISMATCH: a correction line refunding another amount than the commission originally charged
-- (or refunding a commission that was never charged, or refunding it twice).
WITH numbered AS (
    SELECT k.*, row_number() OVER (PARTITION BY k.service_type,
                                   CASE WHEN k.service_type = 'Verkaufsprovision' THEN k.position_item_id
                                        ELSE k.order_number END
                                   ORDER BY k.correction_date, k.correction_number, k.source_line) AS nth
    FROM correction_lines k
), matched AS (
    SELECT n.*, coalesce(c.commission_net, s.commission_net) AS charged_net,
           coalesce(c.vat, s.vat) AS charged_vat,
           coalesce(c.invoice_number, s.invoice_number) AS charged_in,
           -- ev() of a missing line is a struct of NULLs, not NULL: pick by the side that matched.
           CASE WHEN c.source_sha256 IS NOT NULL THEN ev(c.source_sha256, c.source_line)
                WHEN s.source_sha256 IS NOT NULL THEN ev(s.source_sha256, s.source_line) END AS charge_evidence
    FROM numbered n
    LEFT JOIN charges c ON n.service_type = 'Verkaufsprovision' AND c.position_item_id = n.position_item_id
                        AND c.nth = 1
    LEFT JOIN shipping_charges s ON n.service_type = 'Versandkostenprovision' AND s.order_number = n.order_number
                                AND s.nth = 1
)
SELECT 'CORRECTION_MISMATCH' AS kind, order_number, position_item_id, correction_number AS document_number,
       correction_date AS document_date,
       CASE WHEN charged_net IS NULL OR nth > 1 THEN 0.00
            WHEN commission_net <> -charged_net THEN -charged_net ELSE -charged_vat END::DECIMAL(18, 2) AS expected,
       CASE WHEN charged_net IS NULL OR nth > 1 OR commission_net <> -charged_net THEN commission_net
            ELSE vat END AS actual,
       NULL::DATE AS expected_date, NULL::DATE AS actual_date,
       CASE WHEN charge_evidence IS NULL THEN [ev(source_sha256, source_line)]
            ELSE [ev(source_sha256, source_line), charge_evidence] END AS evidence,
       CASE WHEN charged_net IS NULL THEN 'never_charged' WHEN nth > 1 THEN 'again'
            WHEN commission_net <> -charged_net THEN 'net' ELSE 'vat' END AS message_key,
       CASE WHEN charged_net IS NULL THEN MAP {'refund': txt(-commission_net)}
            WHEN nth > 1 THEN MAP {'invoice_number': charged_in, 'refund': txt(-commission_net)}
            WHEN commission_net <> -charged_net THEN
                MAP {'refund': txt(-commission_net), 'invoice_number': charged_in, 'charged': txt(charged_net)}
            ELSE MAP {'refund': txt(-vat), 'invoice_number': charged_in, 'charged': txt(charged_vat)}
       END AS params
FROM matched
WHERE charged_net IS NULL OR nth > 1 OR commission_net <> -charged_net OR vat <> -charged_vat
   OR commission_net + vat <> commission_gross;
