"""`coffeechat stats [--json] [--goal N]`: the numbers, as text or JSON. No Textual here."""

from __future__ import annotations

import argparse

from store import settings
from store.method import reply_rate_note
from store.stats import Stats, compute_stats
from store.numbers import days, percent, ratio
from store.text import printable
from tui.cli.kit import add_command, open_store, print_json


def register(sub) -> None:
    p = add_command(sub, "stats", cmd_stats, "print the funnel, reply rate, meeting rhythm and referrals")
    p.add_argument("--json", action="store_true", help="print a JSON document")
    p.add_argument("--goal", metavar="N", help="set the weekly goal (meetings a week) first")


def cmd_stats(args: argparse.Namespace) -> int:
    store = open_store(args)
    if args.goal is not None:
        settings.set(store, settings.WEEKLY_GOAL, args.goal)
    stats = compute_stats(store)
    if args.json:
        print_json(stats.to_json())
    else:
        print(printable("\n".join(stats_lines(stats)), keep_newlines=True))
    return 0


def stats_lines(stats: Stats) -> list[str]:
    """The stats as plain text lines, for `coffeechat stats`."""
    width = max(len(stage) for stage in stats.funnel)
    lines = ["funnel (contacts that reached each stage):"]
    lines += [f"  {stage:<{width}}  {count:>6}" for stage, count in stats.funnel.items()]
    lines.append("conversion:")
    lines += [
        f"  {c.from_stage} → {c.to_stage}: {percent(c.rate)}" for c in stats.conversions
    ]
    lines += [
        f"reply rate: {percent(stats.reply_rate)} ({reply_rate_note(stats.reply_rate)})",
        "replies: " + ", ".join(f"{count} {kind}{'s' if count != 1 else ''}"
                                for kind, count in stats.reply_classes.items())
        + " (boosters within 3 business days, obligates later, curmudgeons none by the 7B)",
        f"median target → contacted: {days(stats.median_days_target_to_contacted)}",
        f"median contacted → met: {days(stats.median_days_contacted_to_met)}",
        "meetings per week (last 12, oldest first): "
        + " ".join(str(w.meetings) for w in stats.meetings_per_week),
        f"referrals per meeting: {ratio(stats.referrals_per_meeting)} "
        f"({stats.referrals} referrals, {stats.meetings_held} meetings)",
        f"weekly goal: {stats.goal_done} of {stats.goal} meetings this week "
        f"(since Mon {stats.goal_week.isoformat()})",
    ]
    return lines
