"""Fetching OTTO's documents over the network: the Receipts API (`recon fetch receipts`)."""
