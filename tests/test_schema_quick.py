"""The quick yes/no that runs for every record on open says exactly what the full check
says: a record fits when its id is plain and no field has a problem."""

from __future__ import annotations

import random

import pytest

from store.schema import _fits, id_problem, problems, record_kinds

VALUES = [
    None, 0, -1, 2**31 - 1, 2**31, 2**70, True, False, 1.0, "", "x", "target", "met",
    "2026-01-01", "2026-01-01T10:00:00+01:00", "1800-01-01", "2026-02-31", "2201-01-01",
    [], ["a"], ["a", 1], [1], [True], [2**31], [-1], [None], {},
    [{"stage": "met", "at": "2026-01-01"}], [{"stage": "x", "at": "2026-01-01"}],
    [{"stage": "met", "at": ""}], [{"stage": "met"}],
]
KEYS = ["1", "12", "2147483647", "2147483648", "01", "0", "", "a", "١٢", "²", "1 ", "-1"]


@pytest.mark.parametrize("table", sorted(record_kinds()))
def test_the_quick_check_agrees_with_the_full_one(table):
    cls = record_kinds()[table]
    fields = [*cls().to_doc(), "not-a-field"]
    rng = random.Random(table)
    for _ in range(3000):
        names = rng.sample(fields, rng.randint(0, min(5, len(fields))))
        doc = {name: rng.choice(VALUES) for name in names}
        key = rng.choice(KEYS)
        full = id_problem(key) is None and not problems(cls, doc)
        assert _fits(cls)(key, doc) == full, (key, doc)
