"""`s` — the numbers: the funnel, conversions, reply rate, medians, meetings per week,
referrals per meeting and the weekly goal. Everything shown comes from store/stats.py;
it is computed off the UI thread (20,000 contacts take a moment)."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from store.errors import CoffeeError
from store import settings
from store.method import reply_rate_place
from store.stats import Stats, compute_stats
from store.numbers import days, percent, ratio
from tui.keys import help_key
from tui.messages import DataChanged
from tui.threads import hand_back

BAR = 18  # cells of the longest bar


def bar(value: int, largest: int, width: int = BAR) -> str:
    """A bar of full blocks, at least one cell for anything above zero."""
    if value <= 0 or largest <= 0:
        return ""
    return "█" * max(1, round(width * value / largest))


def numbers_text(stats: Stats) -> Text:
    text = Text("Funnel (contacts that reached each stage)", style="bold")
    largest = max(stats.funnel.values(), default=0)
    rates = {c.to_stage: c.rate for c in stats.conversions}
    for stage, count in stats.funnel.items():
        text.append(f"\n{stage:<10}{count:>6} ")
        text.append(f"{bar(count, largest):<{BAR}}", style="cyan")
        if stage in rates:
            text.append(f" {percent(rates[stage]):>4}", style="dim")
    text.append("\n(percent: of the stage above)", style="dim")
    classes = stats.reply_classes
    rows = [
        ("reply rate", percent(stats.reply_rate)),
        ("  vs the normal 20–40%", reply_rate_place(stats.reply_rate)),
        ("boost / oblig / curmudg.", " / ".join(str(classes.get(k, 0)) for k in
                                               ("booster", "obligate", "curmudgeon"))),
        ("median target → contacted", days(stats.median_days_target_to_contacted)),
        ("median contacted → met", days(stats.median_days_contacted_to_met)),
        ("referrals per meeting", f"{ratio(stats.referrals_per_meeting)} "
                                  f"({stats.referrals} / {stats.meetings_held})"),
    ]
    text.append("\n")
    for label, value in rows:
        text.append(f"\n{label:<26}", style="dim")
        text.append(value, style="bold")
    done, goal = stats.goal_done, stats.goal
    text.append("\n\nWeekly goal ", style="bold")
    text.append(f"{done} of {goal} meetings this week ")
    text.append("■" * min(done, goal) + "□" * max(goal - done, 0), style="green")
    if done >= goal:
        text.append(" reached", style="bold")
    return text


def weeks_text(stats: Stats) -> Text:
    text = Text("Meetings per week (last 12)", style="bold")
    largest = max((w.meetings for w in stats.meetings_per_week), default=0)
    for week in stats.meetings_per_week:
        text.append(f"\n{week.week.day:>2} {week.week:%b} ")
        text.append(f"{bar(week.meetings, largest, 12):<12}", style="cyan")
        text.append(f" {week.meetings:>2}")
    return text


class StatsScreen(Screen[None]):
    """The numbers of the whole database, rendered from a Stats."""

    AUTO_FOCUS = ""  # the goal input takes the focus only when asked for

    BINDINGS = [
        help_key("stats"),
        Binding("escape", "back", "Back", id="stats.back", tooltip="Back to the board"),
        Binding("g", "goal", "Set goal", id="stats.goal",
                tooltip="Change the weekly goal (meetings a week)"),
    ]

    DEFAULT_CSS = """
    StatsScreen #stats-header { dock: top; height: 1; padding: 0 1; background: $panel; }
    StatsScreen #stats-columns { height: 1fr; padding: 1 1 0 1; }
    StatsScreen #funnel { width: 44; }
    StatsScreen #weeks { width: 1fr; }
    StatsScreen #goal-box { dock: bottom; height: auto; display: none; }
    StatsScreen #goal-box.shown { display: block; }
    StatsScreen #goal-error { color: $error; text-style: bold; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static("Stats · computing…", id="stats-header", markup=False)
        with Horizontal(id="stats-columns"):
            yield Static(id="funnel", markup=False)
            yield Static(id="weeks", markup=False)
        with Vertical(id="goal-box"):
            yield Static(id="goal-error", markup=False)
            yield Input(placeholder="weekly goal: meetings a week (enter saves, esc cancels)",
                        id="goal-input")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_stats()

    def on_data_changed(self, _: DataChanged) -> None:
        self.refresh_stats()

    @work(thread=True, exclusive=True, group="stats")
    def refresh_stats(self) -> None:
        try:
            stats = compute_stats(self.app.store)
        except CoffeeError as exc:
            hand_back(self, self.show_error, str(exc))
        else:
            hand_back(self, self.show, stats)

    def show(self, stats: Stats) -> None:
        self.query_one("#stats-header", Static).update(
            Text(f"Stats · {stats.contacts} contacts, archived included · "
                 f"{self.app.store.path.name}")
        )
        self.query_one("#funnel", Static).update(numbers_text(stats))
        self.query_one("#weeks", Static).update(weeks_text(stats))

    def show_error(self, message: str) -> None:
        self.query_one("#stats-header", Static).update(Text(f"Stats · {message}"))
        self.notify(message, severity="error", markup=False)

    def action_back(self) -> None:
        if self.query_one("#goal-box").has_class("shown"):
            self.close_goal()
        else:
            self.dismiss(None)

    def action_goal(self) -> None:
        self.query_one("#goal-box").add_class("shown")
        self.query_one("#goal-input", Input).focus()

    def close_goal(self) -> None:
        self.query_one("#goal-box").remove_class("shown")
        self.query_one("#goal-input", Input).value = ""
        self.query_one("#goal-error", Static).update("")
        self.set_focus(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            goal = settings.parse(settings.WEEKLY_GOAL, event.value)
        except CoffeeError as exc:
            self.query_one("#goal-error", Static).update(str(exc))
            return
        self.close_goal()
        self.app.write(settings.set, self.app.store, settings.WEEKLY_GOAL, goal)  # → DataChanged
