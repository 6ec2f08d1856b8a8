"""The checks a draft goes through before it is sent: no job ask, brief, the basics,
no placeholder left unfilled.

An informational interview asks for advice and a little time, never for a job. The
job-ask phrases are a setting (`job_ask_phrases`); phrases that contain one of them but
are fine ("your job", "job title") are another (`job_ask_allowed`). A phrase matches
case-insensitively on word boundaries, with any run of spaces or line breaks between its
words and an optional plural "s" at the end ("opening" also finds "openings").

"position" and "role" alone are not job asks: "your position on remote work" and "I
enjoyed hearing about your role" are what an informational interview is about. Only
their job forms are listed ("open position", "a role on your team").

Every finding has a place (0-based row and column, start and end) so the app can
highlight it and the CLI can print its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from store import settings as config

# The default job-ask and allowed phrases (the settings' defaults, declared in store.settings).
JOB_ASK_PHRASES: tuple[str, ...] = config.default(config.JOB_ASK_PHRASES)
JOB_ASK_ALLOWED: tuple[str, ...] = config.default(config.JOB_ASK_ALLOWED)

# Word limits: outreach and nudges stay short, thank-yous may run a little longer.
WORD_LIMITS: Mapping[str, int] = {
    "outreach": 150, "nudge": 150, "thanks": 200, "referrer": 200, "keep-in-touch": 200,
}
KINDS: tuple[str, ...] = tuple(WORD_LIMITS)

# The basics of an outreach note, each found by a few tell-tale phrases.
BASICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("who you are", (
        "i'm", "i’m", "i am", "my name is", "i work", "i study", "i studied", "i recently",
        "i've been", "i’ve been", "i have been",
    )),
    ("how you know them", (
        "we met", "met at", "suggested", "referred", "introduced", "recommended",
        "mentioned you", "fellow", "alum", "alumni", "alumna", "alumnus", "graduate",
        "came across", "found you", "found your", "saw your", "read your", "heard you",
        "your talk", "your post", "your article", "through", "connected", "mutual",
    )),
    ("why them", (
        "your work", "your experience", "your path", "your career", "your role",
        "your team", "your advice", "your view", "your perspective", "right person",
        "because you", "admire", "learn from you", "learn how", "hear how", "how you",
    )),
    ("a small time ask", (
        "coffee", "call", "chat", "minutes", "minute", "half an hour", "a few minutes",
        "quick", "short", "brief", "video", "zoom",
    )),
)

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Finding:
    """One thing to look at: a check's name, a message, and where (None = whole text)."""

    check: str  # "job ask", "brief", "basics", "placeholder"
    message: str
    start: tuple[int, int] | None = None  # (row, column), 0-based
    end: tuple[int, int] | None = None

    @property
    def line(self) -> int | None:
        """The 1-based line the finding starts on."""
        return None if self.start is None else self.start[0] + 1


@dataclass(frozen=True)
class Check:
    """One row of the checklist: its name, whether it passes, and a short detail."""

    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class Report:
    checks: tuple[Check, ...]
    findings: tuple[Finding, ...]
    words: int

    @property
    def asks_for_job(self) -> bool:
        return any(f.check == "job ask" for f in self.findings)


@lru_cache(maxsize=16)
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern | None:
    """One regex for all phrases, longest first; None when there are none."""
    parts = []
    for phrase in sorted({p.strip().casefold() for p in phrases if p.strip()}, key=len,
                         reverse=True):
        words = [re.escape(w) for w in phrase.split()]
        plural = "s?" if phrase[-1].isalpha() else ""
        parts.append(r"\s+".join(words) + plural)
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def _spans(pattern: re.Pattern | None, text: str) -> list[tuple[int, int]]:
    return [] if pattern is None else [m.span() for m in pattern.finditer(text)]


def job_ask_spans(
    text: str,
    phrases: Iterable[str] = JOB_ASK_PHRASES,
    allowed: Iterable[str] = JOB_ASK_ALLOWED,
) -> list[tuple[int, int]]:
    """Character spans of the job asks in `text`, minus those inside an allowed phrase."""
    fine = _spans(_phrase_pattern(tuple(allowed)), text)
    return [
        (start, end)
        for start, end in _spans(_phrase_pattern(tuple(phrases)), text)
        if not any(a <= start and end <= b for a, b in fine)
    ]


def is_job_ask(text: str, settings: Mapping | None = None) -> bool:
    """True when `text` asks for a job or pay (used on the question bank too)."""
    return bool(job_ask_spans(text, *phrase_lists(settings or {})))


def phrase_lists(settings: Mapping) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The job-ask phrases and the allowed phrases from the settings, else the defaults."""
    return config.get(settings, config.JOB_ASK_PHRASES), config.get(settings, config.JOB_ASK_ALLOWED)


def _place(text: str, offset: int) -> tuple[int, int]:
    row = text.count("\n", 0, offset)
    return row, offset - (text.rfind("\n", 0, offset) + 1)


def _located(text: str, check: str, message: str, start: int, end: int) -> Finding:
    return Finding(check, message, _place(text, start), _place(text, end))


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def missing_basics(text: str) -> list[str]:
    """The outreach basics no tell-tale phrase of which appears in `text`."""
    return [name for name, cues in BASICS if not _spans(_phrase_pattern(cues), text)]


def lint(text: str, kind: str = "outreach", settings: Mapping | None = None) -> Report:
    """Run every check on `text` written as a `kind` of note."""
    phrases, allowed = phrase_lists(settings or {})
    findings: list[Finding] = []
    asks = job_ask_spans(text, phrases, allowed)
    for start, end in asks:
        words = " ".join(text[start:end].split())
        findings.append(_located(text, "job ask", f'"{words}" reads as asking for a job',
                                 start, end))
    holes = list(PLACEHOLDER.finditer(text))
    for match in holes:
        findings.append(_located(text, "placeholder", f"{match.group()} is not filled in",
                                 *match.span()))
    words = word_count(text)
    limit = WORD_LIMITS.get(kind, WORD_LIMITS["outreach"])
    if words > limit:
        findings.append(Finding("brief", f"{words} words: keep a {kind} note under {limit}"))
    missing = missing_basics(text) if kind == "outreach" else []
    if missing:
        findings.append(Finding("basics", f"seems to be missing: {', '.join(missing)}"))
    checks = [
        Check("no job ask", not asks, f"{len(asks)} flagged" if asks else "none found"),
        Check("brief", words <= limit, f"{words}/{limit} words"),
    ]
    if kind == "outreach":
        checks.append(Check("the basics", not missing,
                            "missing: " + ", ".join(missing) if missing else "all there"))
    checks.append(Check("placeholders", not holes,
                        ", ".join(dict.fromkeys(m.group() for m in holes)) or "all filled"))
    return Report(tuple(checks), tuple(findings), words)
