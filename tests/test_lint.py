"""The checks on drafts and questions: no job ask, brief, the basics, the short email's
points, placeholders."""

from __future__ import annotations

import pytest

from store.lint import (
    JOB_ASK_PHRASES,
    is_job_ask,
    job_ask_spans,
    lint,
    missing_basics,
    word_count,
)

JOB_ASKS = [
    ("are you hiring?", "are you hiring"),
    ("Is your team Hiring right now?", "Is your team Hiring"),
    ("Do you know of any job openings?", "any job openings"),
    ("I'm looking for a job in fintech.", "looking for a job"),
    ("Are there any jobs at Acme?", "Are there any jobs"),
    ("Are there openings on your team?", "Are there openings"),
    ("I saw there is an opening in data.", "an opening"),
    ("Do you have any open positions?", "Do you have any open positions"),
    ("Is there a position available for a junior analyst?", "Is there a position available"),
    ("I'd love a position at Acme.", "a position"),
    ("Any open roles coming up?", "Any open roles"),
    ("Could you hire me?", "hire me"),
    ("Would you refer me for the analyst opening?", "refer me for"),
    ("Could you recommend me to your manager?", "recommend me"),
    ("Could you pass my resume to HR?", "pass my resume to HR"),
    ("Could you pass my CV along?", "pass my CV"),
    ("Would you forward my résumé?", "my résumé"),
    ("I attached my resume.", "my resume"),
    ("Are there any opportunities for me at Acme?", "Are there any opportunities for me"),
    ("How much do you make?", "How much do you make"),
    ("What's the salary range there?", "salary"),
    ("What does it pay?", "What does it pay"),
    ("I would like to join your team.", "join your team"),
    ("Could you put in a good word for me?", "put in a good word"),
]

FINE = [
    "I enjoyed hearing about your role.",
    "I enjoyed hearing about your role at Acme.",
    "What is your position on remote work?",
    "What do you love about your job?",
    "What do you hate about your job?",
    "How did you land your first job?",
    "Is your job title the same across companies?",
    "Thank you, the conversation was eye-opening.",
    "Thank you for opening the door to this field.",
    "Which skills matter most in the first year?",
    "Who else should I talk to?",
    "Could you refer me to anyone else I should talk to?",
    "Could you recommend me a book on the field?",
    "Would 20 minutes work for you next week?",
    "The role of a librarian has changed.",
    "I'm exploring a move into healthcare.",
    "How do you position a product for a new market?",
    "Whatever works for you.",
    "I paid attention to the payroll team.",
    "Steve Jobsworth wrote that.",
]


@pytest.mark.parametrize("sentence, flagged", JOB_ASKS)
def test_job_ask_is_flagged_with_its_words(sentence, flagged):
    spans = job_ask_spans(sentence)
    assert [sentence[a:b] for a, b in spans][:1] == [flagged]
    assert is_job_ask(sentence)


@pytest.mark.parametrize("sentence", FINE)
def test_no_false_alarm(sentence):
    assert job_ask_spans(sentence) == []
    assert not is_job_ask(sentence)


def test_applying_for_the_role_alone_is_not_flagged_but_asking_for_it_is():
    # "applying for the role" says what you are doing; only asking them to act on it is.
    assert not is_job_ask("I am applying for the role next week.")
    assert is_job_ask("Could you help me apply for the role and pass my CV on?")


def test_phrase_across_a_line_break_is_found():
    text = "Could you maybe\nhire\n  me?"
    report = lint(text)
    asks = [f for f in report.findings if f.check == "job ask"]
    assert len(asks) == 1
    assert asks[0].start == (1, 0) and asks[0].end == (2, 4)
    assert asks[0].message == '"hire me" reads as asking for a job'


def test_positions_are_row_and_column():
    text = "Hi Ana,\n\nThanks. Are you hiring? Any openings?\n"
    asks = [f for f in lint(text).findings if f.check == "job ask"]
    assert [(f.line, f.start, f.end) for f in asks] == [
        (3, (2, 8), (2, 22)),
        (3, (2, 24), (2, 36)),
    ]
    row, col = asks[0].start
    assert text.splitlines()[row][col : asks[0].end[1]] == "Are you hiring"


def test_phrases_add_to_the_rules_and_allowed_phrases_clear_them():
    settings = {"job_ask_phrases": ["internship"], "job_ask_allowed": []}
    assert is_job_ask("Internships this summer?", settings)
    assert not is_job_ask("Internships this summer?")
    assert is_job_ask("Are you hiring?", {"job_ask_phrases": []})  # the rules stay
    assert not is_job_ask("Are you hiring?", {"job_ask_allowed": ["are you hiring"]})
    assert is_job_ask("What do you love about your job?",
                      {"job_ask_phrases": ["job"], "job_ask_allowed": []})
    assert not is_job_ask("What do you love about your job?",
                          {"job_ask_phrases": ["job"], "job_ask_allowed": ["your job"]})


def test_the_issue_examples():
    for ask in ("Any chance of an internship?", "Is there any open headcount?",
                "Is Stripe looking for engineers?", "introduce me to the recruiter",
                "keep me in mind if a role opens up"):
        assert is_job_ask(ask), ask
    for fine in ("Could you refer me to someone in data?", "How does hiring work on your team?",
                 "What does a typical job look like?"):
        assert not is_job_ask(fine), fine


def test_a_negation_in_the_clause_clears_an_ask_but_not_the_next_clause():
    assert not is_job_ask("I'm not looking for a job, just your advice.")
    assert is_job_ask("I'm not in a rush. Are you hiring?")
    assert is_job_ask("If you don't mind, could you refer me?")


def test_default_phrases_are_all_flagged_on_their_own():
    for phrase in JOB_ASK_PHRASES:
        assert is_job_ask(f"So: {phrase}?"), phrase


GOOD_OUTREACH = """Hi Ana,

Ben Lee suggested I write to you. I'm Jo, a teacher moving into data work. Your
path from teaching into analytics is the one I'd like to learn from. Would you have 20
minutes for a call next week?

Thank you,
Jo
"""


def test_good_outreach_passes_every_check():
    report = lint(GOOD_OUTREACH, "outreach")
    assert report.findings == ()
    assert all(check.ok for check in report.checks)
    assert [c.name for c in report.checks] == [
        "no job ask", "brief", "the basics", "the ask is a question", "connection first",
        "about them", "interest narrow and broad", "placeholders"]
    assert not report.asks_for_job


def test_missing_basics_are_named():
    text = "Hello. Are you free at some point?"
    assert missing_basics(text) == [
        "who you are", "how you know them", "why them", "a small time ask"
    ]
    assert missing_basics("I'm Jo. We met at PyCon. I admire your work. Coffee?") == []
    assert missing_basics("I'm Jo. We met at PyCon. Coffee?") == ["why them"]
    report = lint("Hello. Are you free at some point?")
    basics = next(c for c in report.checks if c.name == "the basics")
    assert not basics.ok and "who you are" in basics.detail


def test_basics_are_only_for_outreach():
    report = lint("Thank you for your time yesterday.", "thanks")
    assert "the basics" not in [c.name for c in report.checks]
    assert report.findings == ()


def test_brief_limits_depend_on_the_kind():
    text = "word " * 151
    assert word_count(text) == 151
    assert any(f.check == "brief" for f in lint(text, "outreach").findings)
    assert not any(f.check == "brief" for f in lint(text, "thanks").findings)
    long_thanks = "word " * 201
    finding = next(f for f in lint(long_thanks, "thanks").findings if f.check == "brief")
    assert finding.message == "201 words — cut 1"
    assert finding.line is None
    brief = next(c for c in lint(text, "outreach").checks if c.name == "brief")
    assert brief.detail == "151 words — cut 76 (100 at most)" and not brief.ok


def details(text: str) -> dict[str, tuple[bool, str]]:
    return {c.name: (c.ok, c.detail) for c in lint(text, "outreach").checks}


def test_the_short_email_says_what_it_found_and_how_to_fix_it():
    bad = ("Hi Ana,\n\nI'm Jo and I am a teacher; I have taught maths for nine years and I "
           "now want a change, so I am reading a lot and I am taking a course in statistics "
           "at night. Ben Lee suggested I write to you. I would like a short call with you "
           "sometime about your career. I'd be grateful. I am free most days and I can fit "
           "in with you, so I'll wait to hear.\n\nJo\n")
    found = details(bad)
    assert found["brief"] == (False, "78 words — cut 3")
    assert found["the ask is a question"] == (
        False, 'the ask is not a question — end it with "?"')
    assert found["connection first"] == (
        False, "the first sentence does not say how you know them — open with the connection")
    assert found["about them"] == (False, "74% of the words are about you — turn some to them")
    assert found["interest narrow and broad"] == (
        False, "say your interest narrowly (their work, their team)")
    shown = [f.message for f in lint(bad, "outreach").findings if f.check == "short email"]
    assert shown[0] == 'the ask is not a question — end it with "?"' and len(shown) == 4


def test_the_short_email_passes_a_good_note_and_names_what_is_missing():
    found = details(GOOD_OUTREACH)
    assert found["about them"] == (True, "19% of the words are about you")
    assert found["the ask is a question"] == (True, "it is")
    assert found["connection first"][0] and found["interest narrow and broad"] == (
        True, "both there")
    no_ask = details("We met at PyCon. Your work on search is great.")
    assert no_ask["the ask is a question"] == (
        False, 'no ask found — ask for 15–20 minutes, ending in "?"')
    assert no_ask["interest narrow and broad"] == (
        False, "say your interest broadly (the field)")
    assert "the ask is a question" not in [c.name for c in lint("Coffee.", "thanks").checks]


def test_unfilled_placeholders_are_found():
    text = "Hi {first_name},\nsee you at {company} and {company}."
    report = lint(text, "thanks")
    holes = [(f.start, f.message) for f in report.findings if f.check == "placeholder"]
    assert holes == [
        ((0, 3), "{first_name} is not filled in"),
        ((1, 11), "{company} is not filled in"),
        ((1, 25), "{company} is not filled in"),
    ]
    check = next(c for c in report.checks if c.name == "placeholders")
    assert check.detail == "{first_name}, {company}" and not check.ok
