-- Receipts of the incoming file already stored (same number key: any case, invisible characters, full-width
-- forms), and whether they are the same receipt: (incoming number, identical, file, position, stored number).
-- Identical needs the same spelling and the same content (content_sha256) from the same kind of file ($kind)
-- or, across the API JSON and the Kundenbelege CSV, the same facts: type, order, creation and shipment minute,
-- total, and every line's type, position item, delivery cost type and gross, and an item's VAT rate and VAT (the
-- CSV gives no VAT for shipping). (staged_numbers: number, number_key, content_sha256, source_line; staged_heads,
-- staged_lines.)
WITH stored AS (
    SELECT r.*, s.number AS incoming_number
    FROM staged_numbers s
    JOIN document_keys k ON k.kind = 'receipt' AND k.number_key = s.number_key
    JOIN receipts r ON r.receipt_number = k.number
), heads AS (
    SELECT 'stored' AS side, receipt_number, receipt_type, order_number, created_at, shipped_at, total_gross
    FROM stored
    UNION ALL
    SELECT 'incoming', h.receipt_number, h.receipt_type, h.order_number, h.created_at, h.shipped_at, h.total_gross
    FROM staged_heads h SEMI JOIN stored s ON s.incoming_number = h.receipt_number
), lines AS (
    SELECT 'stored' AS side, receipt_number, line_type, position_item_id, fee_type, gross_amount, vat_rate, vat_amount
    FROM receipt_lines l SEMI JOIN stored s USING (receipt_number)
    UNION ALL
    SELECT 'incoming', receipt_number, line_type, position_item_id, fee_type, gross_amount, vat_rate, vat_amount
    FROM staged_lines l SEMI JOIN stored s ON s.incoming_number = l.receipt_number
), line_facts AS (
    SELECT side, receipt_number, string_agg(fact, ';' ORDER BY fact) AS facts
    FROM (SELECT side, receipt_number,
                 concat_ws('/', line_type, position_item_id, fee_type, gross_amount,
                           CASE WHEN line_type = 'ITEM' THEN concat_ws('/', vat_rate, vat_amount) END) AS fact
          FROM lines)
    GROUP BY ALL
), facts AS (
    SELECT h.side, h.receipt_number,
           concat_ws('|', h.receipt_type, h.order_number, date_trunc('minute', h.created_at),
                     date_trunc('minute', h.shipped_at), h.total_gross, l.facts) AS facts
    FROM heads h LEFT JOIN line_facts l USING (side, receipt_number)
)
SELECT s.number,
       r.receipt_number = s.number
       AND CASE WHEN f.kind = $kind THEN r.content_sha256 = s.content_sha256 ELSE new.facts = old.facts END
           AS identical,
       f.original_name, r.source_line, r.receipt_number
FROM stored r
JOIN staged_numbers s ON s.number = r.incoming_number
JOIN source_files f ON f.sha256 = r.source_sha256
LEFT JOIN facts old ON old.side = 'stored' AND old.receipt_number = r.receipt_number
LEFT JOIN facts new ON new.side = 'incoming' AND new.receipt_number = s.number
ORDER BY 1;
