-- Every stored receipts text, to be read back and compared with its recorded length and sha256:
-- (sha256, codec, text_bytes, text_sha256, body).
SELECT source_sha256, codec, text_bytes, text_sha256, body FROM receipt_pages ORDER BY 1;
