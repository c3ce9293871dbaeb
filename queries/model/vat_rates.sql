-- needs:
-- VAT rates on OTTO's fees by validity.
CREATE OR REPLACE TEMP TABLE vat_rates AS
SELECT value AS rate, valid_from, valid_to FROM fee_schedule WHERE kind = 'vat';
