-- Where a fetch without --from continues: the creation time of the newest stored receipt (NULL when none).
SELECT max(created_at) FROM receipts;
