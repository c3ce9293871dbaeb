-- needs:
-- Product commission lines, numbered per position item (the first is the charge, the rest duplicates).
-- (Lines whose item is charged once are nth 1 without the window. NULL ids count as one item, as in a window.)
CREATE OR REPLACE TEMP TABLE charges AS
WITH lines AS MATERIALIZED (
    SELECT i.*, berlin_day(i.shipped_at) AS shipped_on FROM invoice_lines i WHERE i.service_type = 'Verkaufsprovision'
), repeated AS (
    SELECT position_item_id FROM lines GROUP BY position_item_id HAVING count(*) > 1
)
SELECT l.*, 1::BIGINT AS nth FROM lines l
ANTI JOIN repeated x ON l.position_item_id IS NOT DISTINCT FROM x.position_item_id
UNION ALL
SELECT l.*, row_number() OVER (PARTITION BY l.position_item_id
                               ORDER BY l.invoice_date, l.invoice_number, l.source_line) AS nth
FROM lines l SEMI JOIN repeated x ON l.position_item_id IS NOT DISTINCT FROM x.position_item_id;
