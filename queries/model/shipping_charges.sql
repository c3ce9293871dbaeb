-- needs:
-- Shipping commission lines, numbered per order.
CREATE OR REPLACE TEMP TABLE shipping_charges AS
SELECT i.*, berlin_day(i.shipped_at) AS shipped_on,
       row_number() OVER (PARTITION BY i.order_number ORDER BY i.invoice_date, i.invoice_number, i.source_line) AS nth
FROM invoice_lines i WHERE i.service_type = 'Versandkostenprovision';
