-- needs:
-- Every document that moves money on the settlement account, with its signed effect for the seller
-- (positive: the seller receives it), the settlement day it is due for, and whether a payout settled it.
CREATE OR REPLACE TEMP TABLE documents AS
WITH docs AS (
    SELECT receipt_number AS number,
           CASE receipt_type WHEN 'PURCHASE' THEN 'Kaufbeleg' ELSE 'Erstattungsbeleg' END AS document_type,
           CASE receipt_type WHEN 'PURCHASE' THEN total_gross ELSE -total_gross END AS amount,
           berlin_day(created_at) AS document_date,
           CAST(berlin_day(created_at) + to_days(CAST(getvariable('receipt_due_days') AS INTEGER)) AS DATE) AS due_date,
           order_number, ev(source_sha256, source_line) AS evidence
    FROM receipts
    UNION ALL
    SELECT invoice_number,
           CASE WHEN bool_and(service_type = 'Grundgebühr') THEN 'Grundgebühr' ELSE 'Provisionsrechnung' END,
           -sum(commission_gross), min(invoice_date), min(due_date), NULL,
           arg_min(ev(source_sha256, source_line), source_line)
    FROM invoice_lines GROUP BY invoice_number
    UNION ALL
    SELECT correction_number, 'Provisionskorrektur', -sum(commission_gross), min(correction_date), min(due_date), NULL,
           arg_min(ev(source_sha256, source_line), source_line)
    FROM correction_lines GROUP BY correction_number
)
SELECT d.*, settle_day(d.due_date) AS settlement_day,
       EXISTS (SELECT 1 FROM payout_lines p WHERE p.document_number = d.number) AS settled
FROM docs d;
