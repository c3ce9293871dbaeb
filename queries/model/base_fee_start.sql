-- needs:
-- The first month a base fee is due (one row): the month after the payment account went live (fee table
-- setting), else the first month any base fee was invoiced; NULL when neither is known.
CREATE OR REPLACE TEMP TABLE base_fee_start AS
SELECT coalesce(
    CAST(date_trunc('month', getvariable('payment_account_live')) + INTERVAL 1 MONTH AS DATE),
    (SELECT min(CAST(date_trunc('month', coalesce(period_from, invoice_date)) AS DATE))
     FROM invoice_lines WHERE service_type = 'Grundgebühr')) AS first_month;
