"""Write OTTO-shaped documents and simulate a seller's quarter (demo data, tests, benchmarks)."""
