"""Fetching OTTO's documents over the network: the Receipts API (`recon fetch receipts`).

Only constants live here: the CLI names them in its help, and importing the HTTP client (httpx) is left to
the command that fetches, so every other command starts without it.
"""

DEFAULT_API_URL = "https://api.otto.market"
SANDBOX_API_URL = "https://sandbox.api.otto.market"
