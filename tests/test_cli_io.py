"""`coffeechat import` and `coffeechat export` as a user runs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from store.db import Store
from store.exporting import export
from store.records import Contact
from tui.cli.main import main

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args], capture_output=True, text=True, timeout=60
    )


def test_import_prints_the_report(db_path):
    result = run(
        "import", "linkedin", str(FIXTURES / "linkedin_connections.csv"), "--db", str(db_path)
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "imported linkedin_connections.csv: 6 new, 0 updated, 0 unchanged, 1 skipped, "
        "5 new employers",
        "  line 10: skipped: no name",
        "  line 11: unreadable date 'someday' in connected_on; left empty",
    ]
    assert len(Store(db_path).contacts()) == 6


def test_import_dry_run_writes_nothing(db_path, capsys):
    Store(db_path).add_contact(Contact(name="Jane Doe", company="Acme"))
    before = db_path.read_bytes()

    code = main(
        ["import", "csv", str(FIXTURES / "contacts_sheet.csv"), "--dry-run", "--db", str(db_path)]
    )

    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith(
        "would import contacts_sheet.csv: 3 new, 0 updated, 1 unchanged, 1 skipped"
    )
    assert out.endswith("dry run: nothing was written\n")
    assert db_path.read_bytes() == before


def test_import_with_map(db_path, capsys):
    code = main(
        [
            "import",
            "csv",
            str(FIXTURES / "contacts_mapped.csv"),
            "--map",
            "Person=name,Cell=phone",
            "--db",
            str(db_path),
        ]
    )

    assert code == 0
    assert [(c.name, c.phone) for c in Store(db_path).contacts()] == [
        ("Kai Wagner", "555-0100"),
        ("Rosa Silva", "555-0101"),
    ]


def test_an_unreadable_file_is_one_line_and_exit_1(db_path, tmp_path):
    Store(db_path).add_contact(Contact(name="Jane Doe"))
    before = db_path.read_bytes()
    for args in (
        ("linkedin", str(tmp_path / "missing.csv")),
        ("linkedin", str(FIXTURES / "linkedin_broken_encoding.csv")),
        ("csv", str(FIXTURES / "no_header.csv")),
        ("vcard", str(FIXTURES / "linkedin_connections.csv")),
        ("linkedin", str(FIXTURES / "contacts_mapped.csv"), "--map", "Person=name"),
    ):
        result = run("import", *args, "--db", str(db_path))
        assert result.returncode == 1, args
        assert result.stdout == ""
        assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("coffeechat: ")
    assert db_path.read_bytes() == before


def test_unknown_format_is_a_usage_error(db_path):
    assert run("import", "xml", "x.xml", "--db", str(db_path)).returncode == 2
    assert run("export", "pdf", "--db", str(db_path)).returncode == 2


def test_export_to_stdout_is_the_exact_export(db_path):
    store = Store(db_path)
    store.add_contact(Contact(name="Zoë \x1b[2J", notes="a\nb", phone="+1 555"))

    result = subprocess.run(
        [sys.executable, "-m", "tui.cli", "export", "csv", "--db", str(db_path)],
        capture_output=True,
        timeout=60,
    )

    assert result.returncode == 0
    assert result.stdout.decode() == export(Store(db_path), "csv")


def test_export_to_a_file_and_by_stage(db_path, tmp_path, capsys):
    store = Store(db_path)
    store.add_contact(Contact(name="Ann Met", stage="met"))
    store.add_contact(Contact(name="Bo Target"))
    out = tmp_path / "met.vcf"

    code = main(["export", "vcard", "--stage", "met", "-o", str(out), "--db", str(db_path)])

    assert code == 0
    assert capsys.readouterr().out == f"exported vcard to {out}\n"
    assert "FN:Ann Met" in out.read_text() and "Bo Target" not in out.read_text()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".met.vcf")] == []


def test_export_errors_exit_1(db_path, tmp_path, capsys):
    Store(db_path)
    assert (
        main(["export", "csv", "-o", str(tmp_path / "no" / "such" / "x.csv"), "--db", str(db_path)])
        == 1
    )
    assert main(["export", "csv", "--stage", "hired", "--db", str(db_path)]) == 1
    assert main(["export", "csv", "--activity", "--db", str(db_path)]) == 1
    errors = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0] for line in errors] == ["coffeechat"] * 3
    assert "cannot write there" in errors[0]
    assert "unknown stage 'hired'" in errors[1]
    assert "--activity applies to markdown exports only" in errors[2]
