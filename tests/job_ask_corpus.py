"""The labelled job-ask corpus (tests/fixtures/job_ask_corpus.tsv) and its figures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from store.lint import is_job_ask

CORPUS = Path(__file__).parent / "fixtures" / "job_ask_corpus.tsv"


def sentences() -> list[tuple[str, str]]:
    """(label, sentence) for every line that is not a comment; label is ask or fine."""
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            label, sentence = line.split("\t")
            rows.append((label, sentence))
    return rows


@dataclass(frozen=True)
class Figures:
    asks: int
    fine: int
    missed: tuple[str, ...]
    false_alarms: tuple[str, ...]

    @property
    def recall(self) -> float:
        return (self.asks - len(self.missed)) / self.asks

    @property
    def false_positive_rate(self) -> float:
        return len(self.false_alarms) / self.fine

    def line(self) -> str:
        return (f"job-ask corpus: {self.asks} asks, {self.fine} fine; recall "
                f"{self.recall:.1%} ({self.asks - len(self.missed)}/{self.asks}), false "
                f"positives {self.false_positive_rate:.1%} "
                f"({len(self.false_alarms)}/{self.fine})")


def measure() -> Figures:
    rows = sentences()
    return Figures(
        asks=sum(label == "ask" for label, _ in rows),
        fine=sum(label == "fine" for label, _ in rows),
        missed=tuple(s for label, s in rows if label == "ask" and not is_job_ask(s)),
        false_alarms=tuple(s for label, s in rows if label == "fine" and is_job_ask(s)),
    )
