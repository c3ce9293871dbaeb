-- Macros every model and check may use. Parameters arrive as variables set by recon.engine (variables.sql);
-- the fee table is registered as `fee_schedule`.

CREATE OR REPLACE TEMP MACRO pct_of(base, rate) AS CAST(round(base * rate * 0.01, 2) AS DECIMAL(18, 2));
-- A fee as OTTO computes it: rate percent of the base, half-up to the cent; VAT on that net, half-up.
CREATE OR REPLACE TEMP MACRO fee_net(base, rate) AS pct_of(base, rate);
CREATE OR REPLACE TEMP MACRO fee_vat(base, rate, vat_rate) AS pct_of(pct_of(base, rate), vat_rate);
CREATE OR REPLACE TEMP MACRO eur(x) AS CAST(CAST(x AS DECIMAL(18, 2)) AS VARCHAR);
CREATE OR REPLACE TEMP MACRO pct(r) AS rtrim(rtrim(CAST(r AS VARCHAR), '0'), '.');
CREATE OR REPLACE TEMP MACRO berlin_day(ts) AS CAST(timezone('Europe/Berlin', ts) AS DATE);
-- The weekly invoice that must charge a shipment of this (local) day: the next invoice weekday, strictly after.
CREATE OR REPLACE TEMP MACRO invoice_day(d) AS
    CAST(d + to_days(CAST(((getvariable('invoice_isodow') - isodow(d) + 6) % 7) + 1 AS INTEGER)) AS DATE);
-- The settlement day of a due date: the first settlement weekday on or after it.
CREATE OR REPLACE TEMP MACRO settle_day(d) AS
    CAST(d + to_days(CAST((getvariable('settlement_isodow') - isodow(d) + 7) % 7 AS INTEGER)) AS DATE);
-- A message parameter: every value travels as text and is typed again (and formatted) in recon.engine.messages.
CREATE OR REPLACE TEMP MACRO txt(x) AS CAST(x AS VARCHAR);
CREATE OR REPLACE TEMP MACRO ev(sha, line) AS {'sha': sha, 'line': CAST(line AS INTEGER)};
-- A tiered commission ("Staffelprovision", registered as `fee_tiers`): each tier's rate on the part of the
-- base inside the tier, the exact sum rounded half-up to the cent once; NULL when the category has no tiers
-- that day. recon.fees.tiers states the same rule in Python (the simulator uses it; a test compares both).
CREATE OR REPLACE TEMP MACRO tiered_net(t_category, t_day, t_base) AS (
    SELECT CAST(round(sum(greatest(least(t_base, coalesce(z.upper, t_base)) - z.lower, 0) * z.rate * 0.01), 2)
                AS DECIMAL(18, 2))
    FROM fee_tiers z WHERE z.category = t_category AND t_day BETWEEN z.valid_from AND z.valid_to);
-- The parts of a tiered base, lowest tier first ([{rate, base}]): how a tiered expectation was built.
CREATE OR REPLACE TEMP MACRO tier_parts(t_category, t_day, t_base) AS (
    SELECT list({'rate': z.rate, 'base': least(t_base, coalesce(z.upper, t_base)) - z.lower} ORDER BY z.tier)
    FROM fee_tiers z
    WHERE z.category = t_category AND t_day BETWEEN z.valid_from AND z.valid_to AND t_base > z.lower);
-- The product commission of one unit (net): the category's flat rate on the day, else its tiers that day
-- (`tiered`: tiered_net of the unit's category, day and base). The models compute tiered_net only for the
-- distinct (category, day, base) of units without a flat rate: as a correlated subquery on every unit it cost
-- a grouping of a million rows at 1M items.
CREATE OR REPLACE TEMP MACRO commission_net(base, rate, tiered) AS coalesce(fee_net(base, rate), tiered);
