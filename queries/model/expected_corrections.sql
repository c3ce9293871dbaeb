-- needs: returned, charges, orders, shipping_charges
-- The refunds corrections owe: the commission charged for each returned item, and the shipping commission
-- of an order once every item of it came back (shipping costs are refunded only on a full return).
-- refunded: a correction line refunds it. booked_on: that correction's date, else the return day, so a
-- period's expected corrections sit in the same period as the correction that books them (a return on the
-- 31st, booked on the 1st, belongs to the next month on both sides). due: refunded already, or the grace
-- days for booking it have passed (a refund not yet due is neither expected nor missing).
CREATE OR REPLACE TEMP TABLE expected_corrections AS
WITH item_refunds AS (
    SELECT position_item_id, min(correction_date) AS booked_on
    FROM correction_lines WHERE service_type = 'Verkaufsprovision' GROUP BY position_item_id
), shipping_refunds AS (
    SELECT order_number, min(correction_date) AS booked_on
    FROM correction_lines WHERE service_type = 'Versandkostenprovision' GROUP BY order_number
), owed AS (
    SELECT 'Verkaufsprovision' AS service_type, x.order_number, x.position_item_id, x.returned_on,
           -c.commission_net AS net, -c.commission_gross AS gross, k.booked_on, c.invoice_number,
           [ev(x.sha, x.line), ev(c.source_sha256, c.source_line)] AS evidence
    FROM returned x
    JOIN charges c ON c.position_item_id = x.position_item_id AND c.nth = 1
    LEFT JOIN item_refunds k ON k.position_item_id = x.position_item_id
    UNION ALL
    SELECT 'Versandkostenprovision', o.order_number, NULL, o.last_returned_on, -s.commission_net,
           -s.commission_gross, k.booked_on, s.invoice_number, [ev(s.source_sha256, s.source_line)]
    FROM orders o
    JOIN shipping_charges s ON s.order_number = o.order_number AND s.nth = 1
    LEFT JOIN shipping_refunds k ON k.order_number = o.order_number
    WHERE o.fully_returned
)
SELECT service_type, order_number, position_item_id, returned_on, net, gross, invoice_number, evidence,
       booked_on IS NOT NULL AS refunded, coalesce(booked_on, returned_on) AS booked_on,
       booked_on IS NOT NULL
       OR returned_on + to_days(CAST(getvariable('correction_grace_days') AS INTEGER)) <= getvariable('as_of') AS due
FROM owed;
