-- First and last document date in the store, and how many files it holds: the dashboard's default period.
-- Reads the stored tables directly (no engine/prepare needed), so it is cheap enough for every page load.
WITH days AS (
    SELECT min(CAST(timezone('Europe/Berlin', created_at) AS DATE)) AS d0,
           max(CAST(timezone('Europe/Berlin', created_at) AS DATE)) AS d1 FROM receipts
    UNION ALL SELECT min(invoice_date), max(invoice_date) FROM invoice_lines
    UNION ALL SELECT min(correction_date), max(correction_date) FROM correction_lines
    UNION ALL SELECT min(payout_date), max(payout_date) FROM payout_lines
)
SELECT min(d0) AS first_day, max(d1) AS last_day, (SELECT count(*) FROM source_files) AS files
FROM days;
