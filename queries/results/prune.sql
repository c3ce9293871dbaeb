-- Keep the newest $keep runs (other days, periods and fee tables fall out first).
DELETE FROM reconcile_results
WHERE key NOT IN (SELECT key FROM reconcile_results GROUP BY key ORDER BY max(created_at) DESC LIMIT $keep);
