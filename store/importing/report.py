"""What an import did, or would do in a dry run: the counts, then every row by line number."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ImportReport:
    """What an import did (or would do, in a dry run), row by row where it matters."""

    source: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0  # records a JSON restore dropped
    employers: int = 0  # employers a LinkedIn import added to the LAMP list
    skipped: list[tuple[int, str]] = field(default_factory=list)
    notices: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        parts = [f"{self.new} new", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        if self.removed:
            parts.append(f"{self.removed} removed")
        parts.append(f"{len(self.skipped)} skipped")
        if self.employers:
            parts.append(f"{self.employers} new employer{'s' if self.employers > 1 else ''}")
        verb = "would import" if self.dry_run else "imported"
        return f"{verb} {self.source}: {', '.join(parts)}"

    def lines(self) -> list[str]:
        """The summary, then every skipped row and every notice by line number."""
        details = [(line, f"skipped: {why}") for line, why in self.skipped] + self.notices
        lines = [self.summary()]
        lines += [f"  line {line}: {text}" for line, text in sorted(details, key=_first)]
        if self.dry_run:
            lines.append("dry run: nothing was written")
        return lines


def _first(pair: tuple) -> object:
    return pair[0]
