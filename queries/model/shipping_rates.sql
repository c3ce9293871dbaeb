-- needs:
-- The shipping commission rate (percent of an order's gross shipping costs) by validity.
CREATE OR REPLACE TEMP TABLE shipping_rates AS
SELECT value AS rate, valid_from, valid_to FROM fee_schedule WHERE kind = 'shipping_commission';
