"""The job-ask check measured on the labelled corpus: at least 95% recall, at most 3%
false positives. The figures are printed at the end of every run (conftest)."""

from __future__ import annotations

from tests.job_ask_corpus import measure, sentences


def test_the_corpus_is_large_and_balanced():
    rows = sentences()
    labels = [label for label, _ in rows]
    assert set(labels) == {"ask", "fine"}
    assert len(rows) >= 200
    assert abs(labels.count("ask") - labels.count("fine")) <= len(rows) // 10
    assert len({s.casefold() for _, s in rows}) == len(rows), "a sentence is there twice"


def test_recall_and_false_positives(capsys):
    figures = measure()
    with capsys.disabled():
        print("\n" + figures.line())
    assert figures.recall >= 0.95, figures.missed
    assert figures.false_positive_rate <= 0.03, figures.false_alarms
