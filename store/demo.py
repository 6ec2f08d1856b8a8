"""A realistic synthetic network for `coffeechat demo`, the benchmark and the screenshots.

The same seed, size and clock always give the same database.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from store.records import STAGES, Contact, FollowUp, Interaction, Meeting, Record

FIRST = (
    "Ada Alan Amara Ana Ben Bianca Carlos Chen Chloe Dara Diego Elena Emeka Eva Farah Felix "
    "Grace Hana Hugo Ines Ivan Jana Jonas Kai Kenji Lara Leo Lina Malik Maya Mina Nadia Noor "
    "Omar Priya Quinn Rafael Rosa Sami Sara Sofia Tariq Tess Uma Vera Wei Yara Yusuf Zoe"
).split()
LAST = (
    "Abe Adler Baker Banerjee Costa Dubois Eriksen Fischer Garcia Haddad Ito Jensen Kaur "
    "Khan Kowalski Lee Lopez Martin Mendes Moreau Nakamura Novak Okafor Olsen Patel Quinn "
    "Rossi Sato Schmidt Silva Singh Tanaka Torres Ueda Varga Wagner Weber Wong Yilmaz Zhang"
).split()
COMPANIES = (
    "Acme,Globex,Initech,Umbrella Health,Stark Energy,Wayne Capital,Hooli,Pied Piper,"
    "Vandelay Imports,Soylent Foods,Tyrell Robotics,Cyberdyne,Massive Dynamic,Aperture Labs,"
    "Black Mesa,Oscorp,Wonka Brands,Gringotts Bank,Monarch Media,Blue Sun,Nakatomi Trading,"
    "Dunder Mifflin,Prestige Worldwide,Gekko & Co,Bluth Homes,City Library,Northwind Traders,"
    "Contoso,Fabrikam,Tailspin Air"
).split(",")
ROLES = (
    "Software Engineer,Senior Engineer,Engineering Manager,VP Engineering,Data Scientist,"
    "Product Manager,Director of Product,UX Researcher,Designer,Marketing Lead,Recruiter,"
    "Operations Manager,Founder,CTO,Analyst,Consultant,Nurse Practitioner,Teacher,Librarian,"
    "Policy Advisor,Sales Director,Customer Success Lead,Journalist,Editor,Architect"
).split(",")
INDUSTRIES = (
    "fintech,healthcare,education,energy,media,retail,logistics,government,nonprofit,"
    "robotics,games,publishing"
).split(",")
CITIES = "Berlin,Lisbon,London,Toronto,Austin,Remote,Nairobi,Singapore,Seattle,Madrid".split(",")
HOW = (
    "alumni network,LinkedIn connection,met at a meetup,former colleague,friend of a friend,"
    "conference talk,cold outreach"
).split(",")
TAGS = ("alumni", "career change", "director", "manager", "remote", "mentor")
TOPICS = (
    "how they got into the field",
    "what a normal week looks like",
    "which skills matter most in the first year",
    "how the team is organised",
    "what they would do differently starting today",
    "the culture: meetings, hours, how decisions are made",
)
PROMISES = (
    "send the article we talked about",
    "share my notes on the conference",
    "introduce them to my former manager",
    "send a thank-you card",
)
RESOURCES = (
    "book: The Informational Interview Handbook",
    "https://example.org/career-guide",
    "podcast: Hiring Managers Speak",
    "article: How to read a job description",
)
# How far contacts get: most stay targets, a few reach "referred".
STAGE_WEIGHTS = (40, 25, 15, 12, 8)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def demo_records(contacts: int, seed: int, now: datetime) -> list[Record]:
    """Contacts with histories, referral chains, meetings, interactions and follow-ups."""
    rng = random.Random(seed)
    records: list[Record] = []
    givers: list[Contact] = []  # contacts met so far, who may refer the next ones
    meeting_id = followup_id = 0
    for cid in range(1, contacts + 1):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        reached = rng.choices(range(len(STAGES)), weights=STAGE_WEIGHTS)[0]
        steps = [timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 9)) for _ in range(reached)]
        created = now - timedelta(days=rng.randint(0, 90), hours=rng.randint(1, 20)) - sum(
            steps, timedelta()
        )
        history, moment = [{"stage": STAGES[0], "at": _iso(created)}], created
        for stage, step in zip(STAGES[1:], steps):
            moment += step
            history.append({"stage": stage, "at": _iso(moment)})
        referrer = rng.choice(givers) if givers and rng.random() < 0.35 else None
        contact = Contact(
            id=cid,
            name=name,
            role=rng.choice(ROLES),
            company=rng.choice(COMPANIES),
            industry=rng.choice(INDUSTRIES),
            email=f"{name.lower().replace(' ', '.')}{cid}@example.com",
            location=rng.choice(CITIES),
            how_we_know=f"referred by {referrer.name}" if referrer else rng.choice(HOW),
            referred_by=referrer.id if referrer else None,
            stage=STAGES[reached],
            stage_history=history,
            tags=rng.sample(TAGS, rng.randint(0, 2)),
            notes=f"Ask about {rng.choice(TOPICS)}.",
            research=f"{rng.choice(INDUSTRIES).capitalize()} background; on {rng.choice(HOW)}.",
            created_at=_iso(created),
            updated_at=history[-1]["at"],
        )
        records.append(contact)
        if reached >= 1:
            records.append(_interaction(cid, "message sent", "email", history[1]["at"]))
        if reached >= 2:
            givers.append(contact)
            met_at = datetime.fromisoformat(history[2]["at"])
            meeting_id += 1
            promise = rng.choice(PROMISES)
            records.append(
                Meeting(
                    id=meeting_id,
                    contact_id=cid,
                    started_at=_iso(met_at),
                    ended_at=_iso(met_at + timedelta(minutes=rng.randint(20, 45))),
                    medium=rng.choice(("coffee", "call", "video")),
                    notes=f"Talked about {rng.choice(TOPICS)}.\ntodo: {promise}\n"
                    f"read: {rng.choice(RESOURCES)}",
                    questions_asked=["How did you get into the role you're in today?"],
                    resources=[rng.choice(RESOURCES)],
                )
            )
            records.append(_interaction(cid, "meeting", "in person", history[2]["at"]))
            followup_id += 1
            records.append(
                FollowUp(
                    id=followup_id,
                    contact_id=cid,
                    kind="todo",
                    text=promise,
                    due=_iso(met_at + timedelta(days=rng.randint(1, 10))),
                    done_at=history[-1]["at"] if reached >= 3 and rng.random() < 0.7 else None,
                    meeting_id=meeting_id,
                    created_at=_iso(met_at),
                )
            )
        if reached >= 3:
            records.append(_interaction(cid, "thank-you sent", "email", history[3]["at"]))
    return records


def _interaction(contact_id: int, kind: str, channel: str, at: str) -> Interaction:
    return Interaction(contact_id=contact_id, kind=kind, channel=channel, at=at)
