"""When the channel gets what: nothing about results before polls close; on election night
live posts edited in place and a faster rhythm; afterwards, a summary on the usual interval.

Pure functions of the clock and of when each kind was last posted, so the rhythm survives a
restart (the times come from the outbox) and is tested without waiting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class Phase(StrEnum):
    QUIET = "quiet"  # before polls close: no results at all
    NIGHT = "night"  # from polls closing, for election_night_hours: live posts, faster rhythm
    AFTER = "after"


@dataclass(frozen=True)
class Rhythm:
    tally: timedelta
    night_tally: timedelta
    incidents: timedelta
    night_hours: int
    live: bool


def polls_close_at(election_day: date, polls_close: time, timezone: str) -> datetime:
    return datetime.combine(election_day, polls_close, tzinfo=ZoneInfo(timezone))


def phase(now: datetime, close_at: datetime, night_hours: int) -> Phase:
    if now < close_at:
        return Phase.QUIET
    if now < close_at + timedelta(hours=night_hours):
        return Phase.NIGHT
    return Phase.AFTER


def phase_explanation(
    now: datetime, close_at: datetime, night_hours: int, election: str, posting: bool
) -> str:
    """One line for check-config and the start-up log: which phase the channel is in and why.
    The date of polls closing is the election file's; election.polls_close only sets the hour."""
    current = phase(now, close_at, night_hours)
    closes = close_at.strftime("%Y-%m-%d %H:%M %Z")
    why = {
        Phase.QUIET: (
            f"polls close {closes} (date from elections/{election}.toml, hour from "
            "election.polls_close): no results before then, only incident summaries and "
            "petition milestones"
        ),
        Phase.NIGHT: (
            f"polls closed {closes}; election night lasts {night_hours} h "
            "(schedule.election_night_hours): live tallies edited in place"
        ),
        Phase.AFTER: (
            f"polls closed {closes} (date from elections/{election}.toml; election.polls_close "
            "sets only the hour): tallies on the usual interval"
        ),
    }[current]
    state = "" if posting else " (schedule.channel_posts = false: nothing is posted on schedule)"
    return f"channel phase: {current.value}: {why}{state}"


def _due(last: datetime | None, every: timedelta, now: datetime) -> bool:
    return last is None or now - last >= every


def due_kinds(
    now: datetime, current: Phase, rhythm: Rhythm, last: dict[str, datetime | None]
) -> set[str]:
    """Which kinds of post to compose now. `last`: when each kind was last composed."""
    due = set()
    if _due(last.get("incidents"), rhythm.incidents, now):
        due.add("incidents")
    due.add("milestone")  # cheap, and posted once per milestone whenever it is crossed
    if current is Phase.QUIET:
        return due
    # Posted once official results are imported (and again only if they or the counted
    # protocols change: the outbox never posts the same content twice).
    if _due(last.get("comparison"), rhythm.tally, now):
        due.add("comparison")
    if current is Phase.NIGHT and rhythm.live:
        if _due(last.get("live"), rhythm.night_tally, now):
            due.add("live")
        if _due(last.get("tally"), rhythm.tally, now):
            due.add("tally")
    else:
        every = rhythm.night_tally if current is Phase.NIGHT else rhythm.tally
        if _due(last.get("tally"), every, now):
            due.add("tally")
    return due
