-- Whether any receipt of the incoming file is stored already under the same number key: only then does the
-- comparison with the stored receipts (overlap_receipts, which reads their lines) run. (staged_numbers)
SELECT EXISTS (
    SELECT 1 FROM staged_numbers s JOIN document_keys k ON k.kind = 'receipt' AND k.number_key = s.number_key
);
