-- needs:
-- The category an SKU was last invoiced under: the fallback for sold items no invoice line names.
CREATE OR REPLACE TEMP TABLE sku_category AS
SELECT sku, arg_max(category, invoice_date) AS category
FROM invoice_lines WHERE service_type = 'Verkaufsprovision' AND sku IS NOT NULL AND category IS NOT NULL
GROUP BY sku;
