"""Write output files atomically: build beside the target, then rename over it.

A scheduled job that dies half-way (disk full, killed) must not leave a truncated report that looks
like this week's; a reader sees either the previous file or the complete new one.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from recon import i18n


def check_target(path: Path) -> None:
    """Refuse a target that is a folder or lies in a folder that does not exist (a typo must not create
    folders, and the error must name the path given, never the temporary file beside it)."""
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, i18n.t("cli.output.is_folder"), str(path))
    if not path.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, i18n.t("cli.output.no_folder", folder=path.parent), str(path))


def replace_atomically(path: Path, write: Callable[[Path], Any]) -> Path:
    """Call `write(tmp)` for a temporary file in the target's folder, then move it to `path`."""
    check_target(path)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a report is an ordinary file
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.filename in (None, str(tmp)):  # a full disk inside a zip writer names no file: name the report
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_text_atomically(path: Path, text: str, encoding: str = "utf-8") -> Path:
    return replace_atomically(path, lambda tmp: tmp.write_text(text, encoding=encoding, newline=""))


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
