"""What each way in loads: the board and the printing commands import their own code and
nothing of the features they do not use (those load when first used). A check of the
module set, not of time."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from store.db import Store
from store.records import Contact

FEATURE_MODULES = (
    "store.importing", "store.exporting", "store.lint", "store.stats", "store.meetings",
    "store.drafts", "store.doctor", "store.demo", "icalendar", "vobject",
)
CLI_FEATURES = tuple(f"tui.cli.{name}" for name in (
    "stats", "drafts", "meet", "transfer", "agenda", "doctor", "tidy", "config", "loop"))
# What the board's first frame does not use, though the board's own keys or its later
# passes do: the quick-add line (the `add` command's help names its example), the help
# screen, reading and stepping dates (the first cadence, the first date typed), the
# local zone's rules (the days in a stage are counted from a moment in UTC), what is due
# and the reply classes (the pass after the first frame), the settings, tidying and the
# choice dialog.
BOARD_LATER = ("store.quickadd", "tui.modals.help", "store.dates", "dateutil.parser",
               "dateutil.relativedelta", "dateutil.rrule", "dateutil.tz", "store.followups",
               "store.method", "store.settings", "store.merge", "tui.modals.choice")

# Runs the app headless until its first frame is shown; prints the modules loaded by then.
BOARD_PROBE = textwrap.dedent("""
    import json, sys
    import tui.app
    App = tui.app.CoffeeChatApp
    loaded = []
    ready = App.on_ready
    def on_ready(self):
        loaded.extend(sys.modules)
        ready(self)
        self.exit()
    App.on_ready = on_ready
    run = App.run
    App.run = lambda self, **kw: run(self, headless=True, size=(120, 40))
    from tui.cli.main import main
    main(sys.argv[1:])
    print(json.dumps(sorted(loaded)))
""")

# Runs one command; prints the modules loaded when it is done.
COMMAND_PROBE = textwrap.dedent("""
    import json, sys
    from tui.cli.main import main
    main(sys.argv[1:])
    print(json.dumps(sorted(sys.modules)))
""")


def loaded(probe: str, *args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def of(modules: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in prefixes or m.startswith(prefixes))


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "coffeechat.json"
    store = Store(path)
    store.add_contact(Contact(name="Ada Lee", role="PM", company="Acme"))
    return path


def test_the_board_loads_no_feature_module_before_its_first_frame(db):
    modules = loaded(BOARD_PROBE, "--db", str(db))
    assert "tui.screens.board" in modules  # (the probe saw the board start)
    assert of(modules, FEATURE_MODULES + CLI_FEATURES) == []
    assert of(modules, BOARD_LATER) == []


def test_a_usage_error_on_the_way_to_the_board_shows_the_whole_usage_line(db):
    # The board's command line is parsed without the sub-commands it does not name.
    done = subprocess.run([sys.executable, "-m", "tui.cli", "--db", str(db), "--bogus"],
                          capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (
        2, "", "usage: coffeechat [-h] [--db PATH] COMMAND ...\n"
               "coffeechat: error: unrecognized arguments: --bogus\n")


@pytest.mark.parametrize("command", [["list"], ["list", "--json"], ["show", "Ada"]])
def test_list_and_show_load_no_textual_and_no_feature(db, command):
    modules = loaded(COMMAND_PROBE, *command, "--db", str(db))
    assert of(modules, ("textual", "rich", "tinydb.__never__")) == []
    assert of(modules, FEATURE_MODULES + CLI_FEATURES) == []
    assert of(modules, ("dateutil", "filelock")) == []


def test_agenda_loads_its_own_code_only(db):
    modules = loaded(COMMAND_PROBE, "agenda", "--db", str(db))
    assert "tui.cli.agenda" in modules
    assert of(modules, ("textual", "rich")) == []
    others = [m for m in CLI_FEATURES if m != "tui.cli.agenda"]
    assert of(modules, tuple(others) + ("store.importing", "store.exporting", "store.lint",
                                         "store.drafts", "store.doctor", "icalendar",
                                         "vobject")) == []


def test_stats_loads_its_own_code_only(db):
    modules = loaded(COMMAND_PROBE, "stats", "--db", str(db))
    assert "store.stats" in modules
    assert of(modules, ("textual", "rich")) == []
    assert of(modules, tuple(m for m in CLI_FEATURES if m != "tui.cli.stats")
              + ("store.importing", "store.exporting", "store.lint", "store.drafts")) == []


def test_help_still_lists_every_command(capsys):
    from tui.cli.main import FEATURES, main

    with pytest.raises(SystemExit):
        main(["--help"])
    shown = capsys.readouterr().out
    for commands in FEATURES.values():
        for command in commands:
            assert command in shown


def test_every_feature_registers_the_commands_it_is_listed_with():
    from tui.cli.main import FEATURES, OWN_COMMANDS, build_parser

    def commands(features):
        parser = build_parser(features)
        sub = next(a for a in parser._actions if a.dest == "command")
        return set(sub.choices) - set(OWN_COMMANDS)

    assert commands(()) == set()
    for feature, listed in FEATURES.items():
        assert commands((feature,)) == set(listed)
