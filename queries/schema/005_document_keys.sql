-- The spelling-independent key of every stored document number (recon/importing/numbers.py: NFKC, without
-- invisible characters, case-folded, trimmed), so `pr-2026-000042` is found as the stored `PR-2026-000042`.
-- The number itself stays as the file wrote it, in the kind's own table.
CREATE TABLE document_keys (
    kind           VARCHAR NOT NULL,  -- invoice, correction, payout, receipt
    number_key     VARCHAR NOT NULL,
    number         VARCHAR NOT NULL,
    source_sha256  VARCHAR NOT NULL
);

-- Numbers stored before this migration: the same key as far as SQL can compute it (NFC instead of NFKC;
-- recon never stored full-width numbers in practice, and every new number gets its exact key from Python).
INSERT INTO document_keys
SELECT DISTINCT kind, lower(trim(regexp_replace(nfc_normalize(number), '[\x{00AD}\x{200B}-\x{200F}\x{2060}-\x{2064}\x{FEFF}]', '', 'g'))), number, source_sha256
FROM (
    SELECT 'invoice' AS kind, invoice_number AS number, source_sha256 FROM invoice_lines
    UNION ALL SELECT 'correction', correction_number, source_sha256 FROM correction_lines
    UNION ALL SELECT 'payout', payout_number, source_sha256 FROM payout_lines
    UNION ALL SELECT 'receipt', receipt_number, source_sha256 FROM receipts
) AS stored;
