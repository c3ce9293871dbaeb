-- The keys of one file's document numbers (registered as staged_numbers: number, number_key).
INSERT INTO document_keys (kind, number_key, number, source_sha256)
SELECT DISTINCT $kind, number_key, number, $source_sha256 FROM staged_numbers;
