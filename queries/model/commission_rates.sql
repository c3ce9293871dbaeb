-- needs:
-- Product commission rates per category and validity, flattened from the fee table for joins
-- (scalar subqueries per row would not scale to a million lines).
CREATE OR REPLACE TEMP TABLE commission_rates AS
SELECT category, value AS rate, valid_from, valid_to FROM fee_schedule WHERE kind = 'commission';
