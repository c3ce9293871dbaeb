-- The parts stored for one key (recon/engine/results.py).
SELECT part, payload FROM reconcile_results WHERE key = $key;
