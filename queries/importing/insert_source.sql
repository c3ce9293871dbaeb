INSERT INTO source_files
    (sha256, original_name, kind, encoding, size_bytes, row_count, amount_total, imported_at, imported_by)
VALUES ($sha256, $original_name, $kind, $encoding, $size_bytes, $row_count, $amount_total,
        current_timestamp, $imported_by);
