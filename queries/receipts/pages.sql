-- The stored texts of receipts files by sha256 ($shas): (sha256, codec, text_bytes, text_sha256, body).
SELECT source_sha256, codec, text_bytes, text_sha256, body
FROM receipt_pages
WHERE list_contains($shas::VARCHAR[], source_sha256)
ORDER BY 1;
