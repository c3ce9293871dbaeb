-- needs:
-- Shipping commission rates the fee table gives one delivery-cost type (DELIVERY_FEE_FREIGHT_SURCHARGE, ...)
-- of its own; every type without one takes the general rate (shipping_rates).
CREATE OR REPLACE TEMP TABLE shipping_type_rates AS
SELECT category AS fee_type, value AS rate, valid_from, valid_to
FROM fee_schedule WHERE kind = 'shipping_commission' AND category IS NOT NULL;
