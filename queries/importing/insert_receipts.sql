-- Bulk insert of one file's validated rows (registered from Arrow as staged_rows).
INSERT INTO receipts BY NAME SELECT * FROM staged_rows;
