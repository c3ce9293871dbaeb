"""What goes wrong with an input file, in the contract's words: `FILE:LINE: field 'NAME': reason`.

A problem stays a structured value (file, line, field, reason) from the importer to the terminal and the
dashboard; the contract's text line is rendered from it where it is printed, never parsed back.
"""

from __future__ import annotations

from dataclasses import dataclass

from recon import i18n

MAX_LISTED = 50


@dataclass(frozen=True)
class FileProblem:
    """One problem of one file. line None: about the file as a whole (unreadable, or the `... and N more` note)."""

    file: str
    line: int | None
    field: str
    reason: str

    def render(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: field '{self.field}': {self.reason}" if self.field else f"{where}: {self.reason}"


@dataclass(frozen=True, order=True)
class Problem:
    """A problem found while reading a file, before the file's name is attached."""

    line: int
    field: str
    reason: str

    def located(self, file_name: str) -> FileProblem:
        return FileProblem(file_name, self.line, self.field, self.reason)

    def render(self, file_name: str) -> str:
        return self.located(file_name).render()


class Rejected(Exception):
    """A file that cannot be stored; carries every problem found (the list shown is capped)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = sorted(problems, key=lambda p: p.line)  # stable: column order within a line

    def located(self, file_name: str, limit: int = MAX_LISTED) -> list[FileProblem]:
        """The problems shown for the file: the first `limit`, then one note counting the rest."""
        shown = [p.located(file_name) for p in self.problems[:limit]]
        if len(self.problems) > limit:
            shown.append(FileProblem(file_name, None, "", i18n.t("input.reason.more_problems",
                                                                    count=len(self.problems) - limit)))
        return shown

    def render(self, file_name: str, limit: int = MAX_LISTED) -> list[str]:
        return [p.render() for p in self.located(file_name, limit)]


def reject(line: int, field: str, reason: str) -> Rejected:
    return Rejected([Problem(line, field, reason)])
