-- Every OTTO fee document of the period (commission invoice, base-fee invoice, correction) with its net,
-- VAT and gross as the document states them (sums of its lines), and the day it was settled (model
-- settlements: payout CSV or account statement). The VAT summed over these rows is the period's input VAT
-- (Vorsteuer) that the DATEV export books. Reads the models documents and settlements.
-- Period: document date in date_from .. min(date_to, as_of), as the DATEV export and the totals.
WITH period AS (SELECT getvariable('date_from') AS d0, least(getvariable('date_to'), getvariable('as_of')) AS d1),
lines AS (
    SELECT 'invoice' AS source, invoice_number AS number, sum(commission_net) AS net, sum(vat) AS vat,
           sum(commission_gross) AS gross, count(*) AS lines
    FROM invoice_lines GROUP BY ALL
    UNION ALL
    SELECT 'correction', correction_number, sum(commission_net), sum(vat), sum(commission_gross), count(*)
    FROM correction_lines GROUP BY ALL
)
SELECT d.document_type, d.number AS document_number, d.document_date, d.due_date,
       l.net::DECIMAL(18, 2) AS net, l.vat::DECIMAL(18, 2) AS vat, l.gross::DECIMAL(18, 2) AS gross,
       l.lines, s.settled_on, s.in_payouts, s.in_statements
FROM documents d
JOIN lines l ON l.number = d.number
            AND l.source = CASE WHEN d.document_type = 'Provisionskorrektur' THEN 'correction' ELSE 'invoice' END
JOIN settlements s ON s.number = d.number, period
WHERE d.document_type IN ('Provisionsrechnung', 'Grundgebühr', 'Provisionskorrektur')
  AND d.document_date BETWEEN period.d0 AND period.d1
ORDER BY d.document_date, d.number;
