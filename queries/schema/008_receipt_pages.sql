-- Receipts API files whose receipts the importer's fast lane read: the file's text (UTF-8, as it was read) kept
-- once, compressed, with where each receipt sits in it. Such a receipt's JSON is its slice of the text
-- (`starts[source_line]` to `ends[source_line]`, bytes) and its `raw` stays NULL: a re-encoded copy per receipt
-- cost most of the import's insert time and several times the space. `raw` still holds the JSON of receipts
-- read the careful way (odd files, JSON Lines) and of the Kundenbelege CSV; recon/store/receipt_json.py reads
-- either. `content_sha256` is unchanged: the sha256 of the receipt's canonical JSON, in both lanes.
ALTER TABLE receipts ALTER COLUMN raw DROP NOT NULL;

CREATE TABLE receipt_pages (
    source_sha256 VARCHAR PRIMARY KEY,  -- source_files.sha256 of the file
    codec         VARCHAR NOT NULL,     -- how `body` is compressed: 'zstd'
    text_bytes    BIGINT NOT NULL,      -- the text's length
    text_sha256   VARCHAR NOT NULL,     -- and its sha256 (what `recon check-db` reads back)
    body          BLOB NOT NULL,
    starts        BIGINT[] NOT NULL,    -- byte offset in the text where receipt n begins (n = source_line)
    ends          BIGINT[] NOT NULL     -- and where it ends (exclusive)
);
