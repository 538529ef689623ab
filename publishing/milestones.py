"""Petition milestones: a quarter, half, three quarters and all of the goal, and round numbers."""

from __future__ import annotations

ROUND_NUMBERS = (1_000, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000)


def milestones(goal: int) -> list[int]:
    """Every milestone of a petition, ascending, without repeats."""
    quarters = {goal * quarter // 4 for quarter in (1, 2, 3, 4)}
    return sorted(quarters | set(ROUND_NUMBERS) - {0})


def newly_crossed(count: int, goal: int, already: set[int]) -> int | None:
    """The highest milestone the count has reached, unless it or a higher one was announced:
    a bot switched on at 30,000 signatures announces 30,000's milestone, not every one below."""
    reached = [mark for mark in milestones(goal) if mark <= count]
    if not reached:
        return None
    highest = reached[-1]
    if any(mark >= highest for mark in already):
        return None
    return highest


def share_of_goal(mark: int, goal: int) -> int:
    return mark * 100 // goal
