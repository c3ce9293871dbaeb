"""A one-line progress bar on stderr for large files, shown only on a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable

WIDTH = 30


def terminal_progress(name: str) -> Callable[[str, float], None]:
    def show(stage: str, fraction: float) -> None:
        filled = int(WIDTH * fraction)
        bar = "#" * filled + "-" * (WIDTH - filled)
        end = "\n" if fraction >= 1.0 else ""
        print(f"\r{name} [{bar}] {fraction:4.0%} {stage:<20}", end=end, file=sys.stderr, flush=True)

    return show
