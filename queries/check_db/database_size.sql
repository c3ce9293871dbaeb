-- Size and block use of the open database file.
SELECT database_size, block_size, total_blocks, used_blocks, free_blocks, wal_size
FROM pragma_database_size()
WHERE database_name = current_database();
