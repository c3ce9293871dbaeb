"""recon: check, to the cent, what OTTO Market charged and paid a seller."""

__version__ = "0.1.0"
