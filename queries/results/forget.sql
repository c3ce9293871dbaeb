-- Drop the parts of one key before storing it again.
DELETE FROM reconcile_results WHERE key = $key;
