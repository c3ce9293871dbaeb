"""Commands of the contract whose issues have not landed yet: they say so and exit 2."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from recon.cli.common import add_db_option

PENDING = {
    "report": "write the accountants' Excel workbook",
}


def register(sub: Any) -> None:
    for name, summary in PENDING.items():
        parser: argparse.ArgumentParser = sub.add_parser(
            name, help=f"{summary} (not yet implemented)", description=f"{summary}. Not yet implemented."
        )
        add_db_option(parser)
        parser.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
        parser.set_defaults(run=lambda args, name=name: _pending(name))


def _pending(name: str) -> int:
    print(f"recon {name}: not yet implemented", file=sys.stderr)
    return 2
