"""What goes wrong with an input file, in the contract's words: `FILE:LINE: field 'NAME': reason`."""

from __future__ import annotations

from dataclasses import dataclass

MAX_LISTED = 50


@dataclass(frozen=True, order=True)
class Problem:
    line: int
    field: str
    reason: str

    def render(self, file_name: str) -> str:
        if self.field:
            return f"{file_name}:{self.line}: field '{self.field}': {self.reason}"
        return f"{file_name}:{self.line}: {self.reason}"


class Rejected(Exception):
    """A file that cannot be stored; carries every problem found (the list shown is capped)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = sorted(problems, key=lambda p: p.line)  # stable: column order within a line

    def render(self, file_name: str, limit: int = MAX_LISTED) -> list[str]:
        lines = [p.render(file_name) for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"{file_name}: ... and {len(self.problems) - limit} more problem(s)")
        return lines


def reject(line: int, field: str, reason: str) -> Rejected:
    return Rejected([Problem(line, field, reason)])
