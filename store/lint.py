"""The checks a draft goes through before it is sent: no job ask, brief, the basics,
no placeholder left unfilled, and for outreach the six points of a short email.

An informational interview asks for advice and a little time, never for a job. A job ask
is found two ways. The built-in rules (JOB_ASK_RULES) are patterns about asking for a role,
a referral into one, an interview or pay: "are you hiring", "any openings", "keep me in
mind if a role opens up", "introduce me to the recruiter", "how much do analysts make".
Asking about the person and their work is not an ask: "your job", "a typical job",
"how does hiring work", "refer me to someone in data" (a referral to *people* is the
method's own ask). A negation earlier in the same clause ("I'm not looking for a job")
clears a match. On top of the rules, the `job_ask_phrases` setting adds phrases that
always count, and `job_ask_allowed` lists phrases that clear whatever lies inside them
("your job", "job title"). A phrase matches case-insensitively on word boundaries, with
any run of spaces or line breaks between its words and an optional plural "s".

The rules are measured on a labelled corpus (tests/fixtures/job_ask_corpus.tsv); the
suite prints their recall and false-positive rate.

An outreach note is also held to the short email of the 2-Hour Job Search: under 75 words
(100 at most), the ask a question ending in "?", the connection in the first sentence,
more than half of the words in sentences about them (a sentence with more I/me/my than
you/your is about you), the interest stated narrowly (their work) and broadly (the
field), and no job ask. Each check says what it found and how to fix it.

Every finding that has one has a place (0-based row and column, start and end) so the app can
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

# Word limits: outreach stays under 75 words (the short email: 100 at most), nudges
# short, thank-yous may run a little longer.
WORD_LIMITS: Mapping[str, int] = {
    "outreach": 75, "nudge": 150, "thanks": 200, "referrer": 200, "keep-in-touch": 200,
}
OUTREACH_CEILING = 100
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

    check: str  # "job ask", "brief", "basics", "placeholder", "short email"
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


def _rule(pattern: str) -> re.Pattern:
    """A rule written with single spaces between words: any run of spaces or line breaks
    matches there; case is ignored."""
    return re.compile(pattern.replace(" ", r"\s+"), re.IGNORECASE)


# What a job is called, singular or plural.
_JOB = r"(?:jobs?|roles?|positions?|openings?|internships?|apprenticeships?|vacanc(?:y|ies)" \
       r"|opportunit(?:y|ies)|placements?|headcount)"
# Who decides on hiring: sending someone there is a referral into a job.
_GATEKEEPER = r"(?:recruit(?:er|ers|ing|ment)|hiring manager|hiring managers|hiring committee" \
              r"|hr|human resources|talent (?:acquisition|team|partner|partners))"
_WORDS = r"(?: [\w'’.-]+)"

# Asking for a role, a referral into one, an interview or pay, as patterns.
JOB_ASK_RULES: tuple[re.Pattern, ...] = tuple(_rule(p) for p in (
    # someone is hiring: "are you hiring", "is Stripe looking for engineers"
    r"\b(?:are|is|was|were)" + _WORDS + r"{0,4}? (?:still )?(?:hiring|recruiting"
    r"|looking (?:for|to hire)|taking on|bringing on)\b(?! (?:managers?|process|committee"
    r"|landscape|market|freeze|bar|practices|decisions|work)\b)",
    # I want one: "looking for a new role", "help me get a job", "hoping to find work"
    r"\b(?:looking|searching|hunting) for (?:an? |any |some )?(?:[\w-]+ )?"
    r"(?:" + _JOB + r"|work)\b",
    r"\b(?:get|find|land|secure) (?:me )?(?:an? |some )(?:[\w-]+ )?" + _JOB + r"\b",
    r"\b(?:find|get) work\b",
    # there might be one: "any openings", "any chance of an internship", "an open role"
    r"\b(?:any|open|available) (?:[\w-]+ )?" + _JOB + r"\b",
    r"\b(?:chance|possibility|hope) of" + _WORDS + r"{0,2}? " + _JOB + r"\b",
    r"\b" + _JOB + r" available\b",
    r"\b(?:" + _JOB + r"|anything|something|spot|spots|seat) (?:opens?|comes?) up\b",
    # one for me: "a role for me", "room on your team for someone like me"
    r"\b(?:" + _JOB + r"|room|spot|place)" + _WORDS + r"{0,4}? (?:for (?:me|someone like me"
    r"|someone with my)|(?:that )?(?:would |might )?suit me)\b",
    r"\b(?:an?) (?:[\w-]+ )?" + _JOB + r"(?= (?:at|on|with|in)\b)",
    r"\b(?:are|is) there (?:any |an? |some )?(?:[\w-]+ )?" + _JOB
    + r"\b(?! (?:title|description|market|model)s?\b)",
    r"\b" + _JOB + r" (?:that )?i (?:could|can|might|should) (?:apply|fill|get)\b",
    r"\b(?:do|does) (?:you|they|[\w'’-]+|your [\w-]+) (?:offer|have|run) (?:any )?"
    r"(?:[\w-]+ )?(?:internships|apprenticeships|jobs|openings|vacancies|positions|roles)\b",
    # let me in: "could I join your company", "I'd love to work for Acme"
    r"\b(?:could|can|may|might) i (?:be part of|join|work (?:for|at|with|on)|apply)\b",
    r"\b(?:love|like|want|hope|hoping|keen|eager|dream|wish) to (?:work|intern)"
    r" (?:for|at|with)\b",
    r"\bhelp me apply\b",
    r"\bhir(?:e|ing) (?:[\w-]+ ){0,4}?(?:like )?me\b",
    r"\bget hired\b",
    r"\b(?:need|want) (?:another|an? (?:extra|additional|new)) [\w-]+ on (?:your|the) team\b",
    r"\bbudget for (?:a |another )?(?:new )?(?:hire|role|position|headcount)\b",
    # a referral into a job: "refer me for the role", "introduce me to the recruiter"
    r"\brefer(?:ring)? me\b(?! to (?!(?:the |your |an? )?(?:open|job|role|position|"
    + _GATEKEEPER[3:-1] + r")))",
    r"\b(?:my|an?|employee|internal) referral\b",
    r"\brecommend me\b(?! (?:an?|any|some|to read|something|books?)\b)",
    r"\b(?:introduce|connect|put|send|pass|forward|share|let|mention)\b" + _WORDS
    + r"{0,6}? (?:the |your |a )?" + _GATEKEEPER + r"\b",
    # an interview: "interview me", "get me an interview"
    r"\b(?:get|set up|arrange|land|line up) (?:me )?an? interview\b",
    r"\ban? interview for me\b",
    # pay: "how much do analysts make", "what does it pay", "is the pay good"
    r"\bhow much (?:[\w-]+ )?(?:do|does|did|would|will|can|could)" + _WORDS
    + r"{0,4}? (?:make|earn|pay|offer)\b(?! (?:of|attention)\b)",
    r"\bwhat (?:do|does|did|would|will)" + _WORDS + r"{0,3}? (?:earn|pay|make)\b(?! (?:of|attention)\b)",
    r"\b(?:is|was|how is|how's) the pay\b",
    r"\bbonus(?:es)?\b",
))

# A negation earlier in the clause clears a match ("I'm not looking for a job"), except
# the polite ones ("if you don't mind").
_NEGATION = re.compile(r"(?:\b(?:not|never|no)\b|n['’]t\b)(?! (?:mind|hesitate|sure)\b)",
                       re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.;:!?\n]|\bbut\b", re.IGNORECASE)


def _negated(text: str, start: int) -> bool:
    """True when the clause holding `start` says "not" (or never, no, n't) before it."""
    clause_start = 0
    for match in _CLAUSE_END.finditer(text, 0, start):
        clause_start = match.end()
    return bool(_NEGATION.search(text, clause_start, start))


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans as one, in order."""
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(start, end) for start, end in out]


def job_ask_spans(
    text: str,
    phrases: Iterable[str] = JOB_ASK_PHRASES,
    allowed: Iterable[str] = JOB_ASK_ALLOWED,
) -> list[tuple[int, int]]:
    """Character spans of the job asks in `text`: the rules' matches and the phrases',
    minus those a negation clears or an allowed phrase holds, overlaps merged."""
    found = _spans(_phrase_pattern(tuple(phrases)), text)
    for rule in JOB_ASK_RULES:
        found.extend(_trimmed(text, m.span()) for m in rule.finditer(text))
    fine = _spans(_phrase_pattern(tuple(allowed)), text)
    return _merged(
        (start, end) for start, end in found
        if not _negated(text, start) and not any(a <= start and end <= b for a, b in fine)
    )


def _trimmed(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A span without the spaces a rule took in at its ends."""
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


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


# The short email's other points: the interest stated narrowly (their work, their team)
# and broadly (the field), and the words that say who a sentence is about.
NARROW = (
    "your work", "your team", "your role", "your path", "your move", "your project",
    "your group", "your post", "your article", "your talk", "your research", "specifically",
    "in particular", "especially",
)
BROAD = ("field", "industry", "sector", "space", "career", "move into", "moving into",
         "exploring", "profession")
_FIRST_PERSON = re.compile(r"\b(?:i|me|my|mine|myself)\b|\bi['’](?:m|d|ve|ll)\b", re.I)
_SECOND_PERSON = re.compile(r"\byou(?:r|rs|rself)?\b|\byou['’](?:re|d|ve|ll)\b", re.I)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_GREETING = re.compile(r"^(?:hi|hello|dear|hey|good (?:morning|afternoon))\b", re.I)


def sentences(text: str) -> list[str]:
    """The sentences of a note's body, each paragraph's lines joined: the Subject line
    and the greeting left out."""
    lines = text.splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if lines and lines[0].lower().startswith("subject:"):
        lines.pop(0)
    while lines and not lines[0].strip():
        lines.pop(0)
    if lines and _GREETING.match(lines[0].strip()) and word_count(lines[0]) <= 6:
        lines.pop(0)
    paragraphs = " ".join(line.strip() or "\n" for line in lines).split("\n")
    return [s.strip() for p in paragraphs for s in _SENTENCE.findall(p) if s.strip()]


def _has(cues: Iterable[str], text: str) -> bool:
    return bool(_spans(_phrase_pattern(tuple(cues)), text))


def short_email_checks(text: str) -> list[Check]:
    """The outreach points beyond length and job words: the ask is a question, the
    connection comes first, more than half is about them, interest narrow and broad."""
    body = sentences(text)
    checks = []
    asks = [s for s in body if _has(dict(BASICS)["a small time ask"], s)]
    if not asks:
        checks.append(Check("the ask is a question", False,
                            'no ask found — ask for 15–20 minutes, ending in "?"'))
    else:
        asked = any(s.endswith("?") for s in asks)
        checks.append(Check("the ask is a question", asked, "it is" if asked else
                            'the ask is not a question — end it with "?"'))
    first = body[0] if body else ""
    known = _has(dict(BASICS)["how you know them"], first)
    checks.append(Check("connection first", known, "the first sentence says how you know them"
                        if known else "the first sentence does not say how you know them"
                        " — open with the connection"))
    words = sum(word_count(s) for s in body)
    mine = sum(word_count(s) for s in body
               if len(_FIRST_PERSON.findall(s)) > len(_SECOND_PERSON.findall(s)))
    share = round(100 * mine / words) if words else 0
    checks.append(Check("about them", share <= 50,
                        f"{share}% of the words are about you" + (
                            " — turn some to them" if share > 50 else "")))
    narrow, broad = _has(NARROW, text), _has(BROAD, text)
    missing = [name for name, found in (
        ("narrowly (their work, their team)", narrow), ("broadly (the field)", broad))
        if not found]
    checks.append(Check("interest narrow and broad", not missing,
                        "both there" if not missing else "say your interest "
                        + " and ".join(missing)))
    return checks


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
    length = f"{words} words — cut {words - limit}" if words > limit else f"{words}/{limit} words"
    if kind == "outreach" and words > OUTREACH_CEILING:
        length += f" ({OUTREACH_CEILING} at most)"
    if words > limit:
        findings.append(Finding("brief", length))
    missing = missing_basics(text) if kind == "outreach" else []
    if missing:
        findings.append(Finding("basics", f"seems to be missing: {', '.join(missing)}"))
    checks = [
        Check("no job ask", not asks, f"{len(asks)} flagged" if asks else "none found"),
        Check("brief", words <= limit, length),
    ]
    if kind == "outreach":
        checks.append(Check("the basics", not missing,
                            "missing: " + ", ".join(missing) if missing else "all there"))
        short = short_email_checks(text)
        checks.extend(short)
        findings.extend(Finding("short email", c.detail) for c in short if not c.ok)
    checks.append(Check("placeholders", not holes,
                        ", ".join(dict.fromkeys(m.group() for m in holes)) or "all filled"))
    return Report(tuple(checks), tuple(findings), words)
