"""How figures read, the same on the command line and on the screens: a rate as a
percentage, a median as days, a ratio with two decimals; "—" when there is none."""

from __future__ import annotations


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0%}"


def days(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} days"


def ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"
