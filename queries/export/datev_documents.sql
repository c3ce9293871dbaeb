-- Fee documents and payouts of a booking period, for the DATEV export: invoices and corrections summed
-- per document and service type (net, VAT, gross), payouts with their total. One row per future booking
-- group, never per position, so a month with a million positions is still a few hundred bookings.
-- Parameters: $date_from, $date_to (document dates, inclusive).
WITH invoices AS (
    SELECT 'invoice' AS source, i.invoice_number AS number, min(i.invoice_date) AS document_date,
           i.service_type, sum(i.commission_net) AS net, sum(i.vat) AS vat, sum(i.commission_gross) AS gross,
           count(*) AS lines, min(f.original_name) AS file
    FROM invoice_lines i JOIN source_files f ON f.sha256 = i.source_sha256
    WHERE i.invoice_date BETWEEN $date_from AND $date_to
    GROUP BY i.invoice_number, i.service_type
),
corrections AS (
    SELECT 'correction' AS source, k.correction_number, min(k.correction_date), k.service_type,
           sum(k.commission_net), sum(k.vat), sum(k.commission_gross), count(*), min(f.original_name)
    FROM correction_lines k JOIN source_files f ON f.sha256 = k.source_sha256
    WHERE k.correction_date BETWEEN $date_from AND $date_to
    GROUP BY k.correction_number, k.service_type
),
payouts AS (
    SELECT 'payout' AS source, p.payout_number, min(p.payout_date), NULL, NULL, NULL, any_value(p.payout_total),
           count(*), min(f.original_name)
    FROM payout_lines p JOIN source_files f ON f.sha256 = p.source_sha256
    WHERE p.payout_date BETWEEN $date_from AND $date_to
    GROUP BY p.payout_number
)
SELECT * FROM invoices
UNION ALL SELECT * FROM corrections
UNION ALL SELECT * FROM payouts
ORDER BY document_date, number, source, service_type;
