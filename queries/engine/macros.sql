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
