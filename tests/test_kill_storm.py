"""kill -9 of the bot while both outboxes send through a storm of 429s and 500s (issue 13):
nothing is lost, and nothing is sent twice but for a kill in the milliseconds between Telegram's
answer and the commit of that answer (at most one message per kill)."""

from __future__ import annotations

from pathlib import Path

from tests.kill_storm import run_storm


async def test_kill_9_in_a_429_500_storm_loses_nothing(tmp_path: Path) -> None:
    figures = await run_storm(tmp_path, messages=80, posts=6, kills=3, seed=7)
    print("\n".join(figures.lines()))
    assert figures.kills == 3 and figures.kills_while_sending >= 1
    assert figures.faults_returned > 0, "the storm happened"
    assert figures.lost_messages == 0 and figures.lost_posts == 0, figures
    assert figures.duplicated_messages + figures.duplicated_posts <= figures.kills, figures
