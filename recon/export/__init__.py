"""Exports for other programs: the DATEV booking batch (EXTF Buchungsstapel) for the tax advisor."""
