-- Payout numbers of the incoming file that another file already brought in.
SELECT DISTINCT l.payout_number, f.original_name, f.sha256, f.imported_at
FROM payout_lines l JOIN source_files f ON f.sha256 = l.source_sha256
WHERE l.payout_number IN (SELECT number FROM staged_numbers)
ORDER BY 1;
