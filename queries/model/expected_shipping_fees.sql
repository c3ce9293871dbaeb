-- needs: order_shipping, shipping_rates, vat_rates
-- The shipping commission every order with shipping costs should cost, due in the weekly invoice after
-- the day it shipped.
CREATE OR REPLACE TEMP TABLE expected_shipping_fees AS
SELECT o.*, invoice_day(o.shipped_on) AS due_invoice_day, r.rate, fee_net(o.gross, r.rate) AS net,
       fee_vat(o.gross, r.rate, v.rate) AS vat
FROM order_shipping o
LEFT JOIN shipping_rates r ON o.shipped_on BETWEEN r.valid_from AND r.valid_to
LEFT JOIN vat_rates v ON o.shipped_on BETWEEN v.valid_from AND v.valid_to
WHERE o.gross > 0;
