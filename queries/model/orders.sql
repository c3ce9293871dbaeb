-- needs: sold, returned
-- Orders with receipts: what shipped first, and whether every sold item came back.
CREATE OR REPLACE TEMP TABLE orders AS
SELECT s.order_number, min(s.shipped_on) AS first_shipped_on,
       count(*) = count(x.position_item_id) AS fully_returned, max(x.returned_on) AS last_returned_on
FROM sold s LEFT JOIN returned x USING (position_item_id)
GROUP BY s.order_number;
