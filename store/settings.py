"""Every setting, declared once: its key in the file, type, default, rule and help text.

The settings live in the database's `settings` record (Store.settings / set_setting); this
module is the only way into it. `get` reads a setting as its type, the default when it is
missing or unusable in the file (`strict=True` refuses an unusable value instead); `set`
reads what a person typed (or takes a value), refuses a bad one with a one-line message
before anything is written, and stores it. `describe` lists the user-facing settings with
their values and defaults: `coffeechat config` and the settings screen are made from it.

SETTINGS holds the user-facing settings in the order they are shown. The bookkeeping the
app keeps in the same record (the seeded flags, the file mode last warned about) is
declared in INTERNAL: readable with `get`, written with `set_internal`, never shown and
never set by a user. Stored keys are never renamed: files already hold them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from store.errors import InputError
from store.text import clean

# The keys, as stored in the file.
MY_NAME = "my_name"
NUDGE_AFTER_DAYS = "nudge_after_days"
MAX_NUDGES = "max_nudges"
THANK_YOU_AFTER_HOURS = "thank_you_after_hours"
WEEKLY_GOAL = "weekly_goal"
DAYFIRST = "dayfirst"
JOB_ASK_PHRASES = "job_ask_phrases"
JOB_ASK_ALLOWED = "job_ask_allowed"
HOLIDAYS = "holidays"
QUESTIONS_SEEDED = "questions_seeded"
TIARA_SEEDED = "tiara_seeded"
TEMPLATES_SEEDED = "templates_seeded"
MODE_WARNED = "mode_warned"
MY_NAME_ASKED = "my_name_asked"


@dataclass(frozen=True)
class Setting:
    """One setting. `kind` says what it holds (number, text, flag, phrases) so a screen can
    pick its input; `rule` says what a good value is (messages and input hints); `noun` is
    how a message names it ("a weekly goal")."""

    key: str
    label: str
    kind: str
    default: object
    help: str
    rule: str
    noun: str
    from_text: Callable[[str], object]  # typed text → value; ValueError when unreadable
    from_file: Callable[[object], object]  # stored value → value; ValueError when unusable
    to_text: Callable[[object], str]
    internal: bool = False

    def parse(self, text: str) -> object:
        """The value `text` stands for, or an InputError saying what is expected."""
        try:
            return self.from_text(clean(text))
        except ValueError as exc:
            raise InputError(_refusal(self, text, exc)) from None

    def check(self, value: object) -> object:
        """`value` (from the file or from code) as this setting's type, or an InputError."""
        try:
            return self.from_file(value)
        except (ValueError, TypeError) as exc:
            raise InputError(_refusal(self, value, exc)) from None

    def show(self, value: object) -> str:
        """The value as a person would type it."""
        return self.to_text(value)


def _refusal(setting: Setting, value: object, exc: Exception) -> str:
    reason = str(exc.args[0]) if exc.args and exc.args[0] else ""
    return reason or f"{setting.noun} is {setting.rule}, not {_quoted(value)}"


def _quoted(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- the kinds of value ------------------------------------------------------------------


def _whole(low: int, high: int) -> tuple[Callable, Callable, Callable]:
    """A whole number from low to high: typed as digits, stored as a JSON integer."""

    def from_file(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError
        return value

    def from_text(text: str) -> int:
        digits = text.strip()
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 9:
            raise ValueError
        return from_file(int(digits))

    return from_text, from_file, str


_YES = ("yes", "y", "true", "on", "1")
_NO = ("no", "n", "false", "off", "0")


def _flag_from_text(text: str) -> bool:
    word = text.strip().lower()
    if word in _YES or word in _NO:
        return word in _YES
    raise ValueError


def _flag_from_file(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError
    return value


def _flag_text(value: object) -> str:
    return "yes" if value else "no"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
NAME_LIMIT = 100


def _name_from_text(text: str) -> str:
    name = text.strip()
    if _CONTROL.search(name) or len(name) > NAME_LIMIT:
        raise ValueError
    return name


def _text_from_file(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError
    return value


PHRASE_LIMIT = 100
_SEPARATORS = re.compile(r"[,\n]")


def _phrases_from_text(text: str) -> tuple[str, ...]:
    """Phrases separated by commas or line breaks."""
    return _phrases_from_file(_SEPARATORS.split(text))


def _phrases_from_file(value: object) -> tuple[str, ...]:
    """A list of phrases, spaces folded; blanks and repeats (in any case) dropped."""
    if not isinstance(value, (list, tuple)):
        raise ValueError
    phrases: dict[str, str] = {}
    for item in value:
        if not isinstance(item, str):
            raise ValueError
        phrase = " ".join(item.split())
        if not phrase:
            continue
        if not re.search(r"\w", phrase) or len(phrase) > PHRASE_LIMIT or _CONTROL.search(phrase):
            raise ValueError(
                f"a phrase has a letter or digit, is one line and at most {PHRASE_LIMIT} "
                f"characters, not {_quoted(item)}"
            )
        phrases.setdefault(phrase.casefold(), phrase)
    return tuple(phrases.values())


def _phrases_text(value: object) -> str:
    return ", ".join(value)


def _dates_from_text(text: str) -> tuple[str, ...]:
    """ISO dates separated by commas or line breaks."""
    return _dates_from_file([part.strip() for part in _SEPARATORS.split(text) if part.strip()])


def _dates_from_file(value: object) -> tuple[str, ...]:
    """A list of ISO dates (YYYY-MM-DD), sorted, repeats dropped."""
    if not isinstance(value, (list, tuple)):
        raise ValueError
    days: dict[str, None] = {}
    for item in value:
        if not isinstance(item, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", item.strip()):
            raise ValueError(f"a holiday is a date like 2026-12-25, not {_quoted(item)}")
        try:
            days[date.fromisoformat(item.strip()).isoformat()] = None
        except ValueError:
            raise ValueError(f"{item.strip()} is not a day of the calendar") from None
    return tuple(sorted(days))


def _seen_from_file(value: object) -> bool:
    """Anything true counts as done: seeding twice would duplicate the user's records."""
    return bool(value)


def _mode_from_file(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError
    return value


def _mode_text(value: object) -> str:
    return value or ""


# -- the defaults that are long lists ----------------------------------------------------

# Phrases that always read as asking for a job, a referral into one, or pay, whatever
# surrounds them (store.lint's rules find the asks that depend on their context).
DEFAULT_JOB_ASK_PHRASES: tuple[str, ...] = (
    "hire me", "hiring me", "refer me for", "recommend me for", "put in a good word",
    "vouch for me", "consider me", "considered for", "keep me in mind", "take me on",
    "interview me", "foot in the door", "join your team", "join your company",
    "work for your company", "job opening", "open position", "open role",
    "headcount", "vacancy", "vacancies", "pass my resume", "pass my cv", "pass my résumé",
    "pass my name", "put my name forward", "my resume", "my résumé", "my cv",
    "my application", "my candidacy", "salary", "salaries", "compensation", "pay range",
    "pay scale", "pay band",
)
# Phrases that hold a job-ask phrase yet ask about the other person's work.
DEFAULT_JOB_ASK_ALLOWED: tuple[str, ...] = (
    "your job", "your first job", "your current job", "your last job", "your previous job",
    "their job", "job title", "job description",
)


# -- the declarations --------------------------------------------------------------------


def _number(key: str, label: str, default: int, low: int, high: int, unit: str, noun: str,
            help: str) -> Setting:
    rule = f"a whole number{unit} from {low} to {high}"
    return Setting(key, label, "number", default, help, rule, noun, *_whole(low, high))


def _phrases(key: str, label: str, default: tuple[str, ...], noun: str, help: str) -> Setting:
    rule = "phrases separated by commas"
    return Setting(key, label, "phrases", default, help, rule, noun,
                   _phrases_from_text, _phrases_from_file, _phrases_text)


SETTINGS: tuple[Setting, ...] = (
    Setting(
        MY_NAME, "my name", "text", "",
        "Your name, signed at the foot of drafts (the {my_name} placeholder).",
        f"one line of at most {NAME_LIMIT} characters", "a name",
        _name_from_text, _text_from_file, str,
    ),
    _number(NUDGE_AFTER_DAYS, "nudge after days", 7, 0, 365, " of days", "a nudge delay",
            "Days of silence after you write to someone before a nudge is due."),
    _number(MAX_NUDGES, "max nudges", 2, 0, 10, "", "a number of nudges",
            "Nudges to send before a silent contact counts as gone quiet."),
    _number(THANK_YOU_AFTER_HOURS, "thank-you after hours", 24, 0, 720, " of hours",
            "a thank-you delay",
            "Hours after a meeting before the thank-you note is due."),
    _number(WEEKLY_GOAL, "weekly goal", 2, 1, 100, " of meetings", "a weekly goal",
            "Meetings a week to aim for; the stats show this week against it."),
    Setting(
        DAYFIRST, "day first", "flag", False,
        "Read a date like 3/12 day first (3 December) rather than month first (March 12).",
        "yes or no", "day first", _flag_from_text, _flag_from_file, _flag_text,
    ),
    _phrases(JOB_ASK_PHRASES, "job-ask phrases", DEFAULT_JOB_ASK_PHRASES,
             "the job-ask list",
             "Phrases that always read as asking for a job or pay, on top of the built-in "
             "rules; drafts and questions with one are flagged."),
    _phrases(JOB_ASK_ALLOWED, "allowed phrases", DEFAULT_JOB_ASK_ALLOWED,
             "the allowed list",
             'Phrases that hold a job ask yet are fine, like "your job": what lies '
             'inside one is never flagged.'),
    Setting(
        HOLIDAYS, "holidays", "phrases", (),
        "Days off besides weekends (dates like 2026-12-25, comma-separated): the 3B and "
        "7B follow-ups count business days around them.",
        "dates like 2026-12-25 separated by commas", "the holiday list",
        _dates_from_text, _dates_from_file, _phrases_text,
    ),
)

def _done_once(key: str, label: str, help: str) -> Setting:
    """A bookkeeping flag: something the app does once (any truthy value counts)."""
    return Setting(key, label, "flag", False, help, "yes or no", "a flag", _flag_from_text,
                   _seen_from_file, _flag_text, internal=True)


INTERNAL: tuple[Setting, ...] = (
    _done_once(QUESTIONS_SEEDED, "questions seeded",
               "The default questions were written to the bank once."),
    _done_once(TIARA_SEEDED, "TIARA seeded",
               "The bank's default questions got their TIARA kinds once."),
    _done_once(TEMPLATES_SEEDED, "templates seeded", "The default templates were written once."),
    _done_once(MY_NAME_ASKED, "my name asked", "The first draft asked for my name (asked once)."),
    Setting(MODE_WARNED, "mode warned", "text", None,
            "The file mode last warned about, like 0644.", "a file mode like 0644",
            "a file mode", _name_from_text, _mode_from_file, _mode_text, internal=True),
)

_BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS + INTERNAL}


# -- reading and writing ------------------------------------------------------------------


def setting(key: str) -> Setting:
    """The user-facing setting `key`, or an InputError naming the ones there are."""
    found = _BY_KEY.get(key)
    if found is None or found.internal:
        known = ", ".join(s.key for s in SETTINGS)
        raise InputError(f"no setting {_quoted(key)}: the settings are {known}")
    return found


def default(key: str) -> object:
    return _BY_KEY[key].default


def _stored(source: object) -> Mapping:
    """The settings record of a Store, or the mapping itself."""
    return source if isinstance(source, Mapping) else source.settings()


def get(source: object, key: str, *, strict: bool = False) -> object:
    """The setting's value from a Store or a settings mapping, as its type: the default
    when the key is missing, and when its value in the file is unusable (with `strict`,
    an InputError saying so instead)."""
    declared = _BY_KEY[key]
    stored = _stored(source)
    if key not in stored:
        return declared.default
    try:
        return declared.from_file(stored[key])
    except (ValueError, TypeError):
        if strict:
            raise InputError(
                f"the setting {key} must be {declared.rule}, not {_quoted(stored[key])}"
            ) from None
        return declared.default


def values(source: object) -> dict[str, object]:
    """Every user-facing setting's value, the file read once."""
    stored = _stored(source)
    return {s.key: get(stored, s.key) for s in SETTINGS}


def parse(key: str, text: str) -> object:
    """What `text` means for the user-facing setting `key`; InputError when it cannot."""
    return setting(key).parse(text)


def set(store, key: str, value: object) -> object:  # noqa: A001 - settings.set reads best
    """Set the user-facing setting `key` from typed text or from a value; a bad one is
    refused (InputError) and nothing is written. The value stored, as its type."""
    declared = setting(key)
    typed = declared.parse(value) if isinstance(value, str) else declared.check(value)
    _write(store, declared, typed)
    return typed


def set_internal(store, key: str, value: object) -> None:
    """Write one of the app's bookkeeping values (INTERNAL)."""
    declared = _BY_KEY[key]
    if not declared.internal:
        raise KeyError(f"{key} is a user setting: use set()")
    _write(store, declared, declared.check(value))


def _write(store, declared: Setting, value: object) -> None:
    store.set_setting(declared.key, list(value) if isinstance(value, tuple) else value)


# -- listing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One row of a settings listing: what `coffeechat config` prints and the settings
    screen shows. `problem` says why the file's value was not used (the default was)."""

    setting: Setting
    value: object
    value_text: str
    default_text: str
    is_default: bool
    problem: str | None = None

    @property
    def key(self) -> str:
        return self.setting.key

    @property
    def help(self) -> str:
        return self.setting.help


def describe(source: object) -> list[Entry]:
    """Every user-facing setting with its value and default, in SETTINGS order."""
    stored = _stored(source)
    return [entry(stored, s.key) for s in SETTINGS]


def entry(source: object, key: str) -> Entry:
    """The listing row of one user-facing setting."""
    declared = setting(key)
    stored = _stored(source)
    problem = None
    try:
        get(stored, key, strict=True)
    except InputError as exc:
        problem = f"{exc}; the default is used"
    value = get(stored, key)
    return Entry(declared, value, declared.show(value), declared.show(declared.default),
                 value == declared.default, problem)
