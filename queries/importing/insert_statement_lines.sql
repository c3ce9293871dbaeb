-- Bulk insert of a statement's new transactions (registered from Arrow as staged_rows).
INSERT INTO statement_lines BY NAME SELECT * FROM staged_rows;
