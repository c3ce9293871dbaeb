-- The text of one receipts file, once, compressed, with where each of its receipts sits (see schema 008).
INSERT INTO receipt_pages (source_sha256, codec, text_bytes, text_sha256, body, starts, ends)
VALUES ($source_sha256, $codec, $text_bytes, $text_sha256, $body, $starts, $ends);
