"""Coordinators' decisions as services, on SQLite and PostgreSQL: what counts after each."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from models.tables import AuditLogRow, PrecinctResultRow, ProtocolRow
from publishing.tallies import tally_for_level
from services import moderation
from services.moderation import DecisionRefused
from services.personal_data import PersonalDataCipher
from services.precinct_results import ResultStatus
from services.protocols import ProtocolService
from storage.database import create_sessionmaker
from storage.unit_of_work import unit_of_work
from tests.conftest import TEST_ENCRYPTION_KEY
from tests.test_tallies import E2021, seed

CIPHER = PersonalDataCipher(TEST_ENCRYPTION_KEY)
COORDINATOR = 777
GOOD: dict[str, int] = {
    "voters_on_list": 1000,
    "ballots_received": 1000,
    "ballots_issued": 401,
    "ballots_unused": 599,
    "ballots_in_boxes": 401,
    "ballots_invalid": 10,
    "votes.nur_otan": 201,
    "votes.ak_zhol": 70,
    "votes.auyl": 60,
    "votes.adal": 40,
    "votes.qhp": 20,
}
# One invalid ballot too many: sum(votes) + invalid != in boxes, a hard check.
BAD = {**GOOD, "ballots_invalid": 11}


async def submit(
    engine: AsyncEngine,
    precinct_id: int,
    observer_id: int,
    figures: dict[str, int],
    reason: str | None = None,
) -> Any:
    async with unit_of_work(create_sessionmaker(engine)) as unit:
        return await ProtocolService(unit.session, CIPHER).submit(
            E2021, "mazhilis", precinct_id, observer_id, figures, [], [], reason
        )


async def counted(engine: AsyncEngine) -> tuple[int, int]:
    """(precincts counted, AMANAT/Nur Otan votes) in the Mazhilis tally."""
    async with create_sessionmaker(engine)() as session:
        tally = await tally_for_level(session, E2021, "mazhilis")
    return tally.precincts, tally.votes["nur_otan"]


async def decide(engine: AsyncEngine, action: Any, *args: Any) -> Any:
    async with unit_of_work(create_sessionmaker(engine)) as unit:
        return await action(unit.session, *args)


async def audit(engine: AsyncEngine) -> list[AuditLogRow]:
    async with create_sessionmaker(engine)() as session:
        return list((await session.execute(select(AuditLogRow).order_by(AuditLogRow.id))).scalars())


async def protocol_ids(engine: AsyncEngine) -> list[int]:
    async with create_sessionmaker(engine)() as session:
        return list(
            (await session.execute(select(ProtocolRow.id).order_by(ProtocolRow.version))).scalars()
        )


async def test_flagged_protocol_counts_once_verified(engine: AsyncEngine) -> None:
    ids = await seed(engine, precinct_count=2)
    await submit(engine, ids[1], 1, GOOD)
    submitted = await submit(engine, ids[2], 2, BAD, "так в протоколе")
    assert submitted.result is ResultStatus.FLAGGED
    assert await counted(engine) == (1, 201), "a hard failure is kept out"
    async with create_sessionmaker(engine)() as session:
        counts = await moderation.queue_counts(session, E2021.slug)
        items, total = await moderation.case_queue(session, E2021.slug, ResultStatus.FLAGGED)
    assert (counts.flagged, counts.conflict, total) == (1, 0, 1) and items[0].number == 2
    [_, flagged] = await protocol_ids(engine)
    result = await decide(engine, moderation.verify_protocol, flagged, COORDINATOR)
    assert result.status == "counted"
    assert await counted(engine) == (2, 402)
    [row] = [row for row in await audit(engine) if row.action == "verify-protocol"]
    assert row.actor == f"coordinator:{COORDINATOR}" and row.detail["protocol"] == flagged
    with pytest.raises(DecisionRefused):
        await decide(engine, moderation.verify_protocol, flagged, COORDINATOR)


async def test_rejected_protocol_does_not_count(engine: AsyncEngine) -> None:
    ids = await seed(engine, precinct_count=1)
    await submit(engine, ids[1], 1, GOOD)
    [protocol] = await protocol_ids(engine)
    result = await decide(
        engine,
        lambda s, *a: moderation.reject_protocol(s, CIPHER, *a),
        protocol,
        COORDINATOR,
        "не тот участок",
    )
    assert result.status == "rejected"
    assert await counted(engine) == (0, 0)
    async with create_sessionmaker(engine)() as session:
        row = await session.get(ProtocolRow, protocol)
    assert row is not None and CIPHER.decrypt(row.decision_note_encrypted) == "не тот участок"  # type: ignore[arg-type]


async def test_two_observers_disagree_until_a_coordinator_picks(engine: AsyncEngine) -> None:
    ids = await seed(engine, precinct_count=1)
    first = await submit(engine, ids[1], 1, GOOD)
    assert first.result is ResultStatus.COUNTED
    other = {**GOOD, "votes.nur_otan": 181, "votes.ak_zhol": 90}
    second = await submit(engine, ids[1], 2, other)
    assert second.result is ResultStatus.CONFLICT and second.differences == [], (
        "not a difference from their own copy"
    )
    assert await counted(engine) == (0, 0), "a precinct in conflict is not counted"
    # The first observer sending the same figures again does not settle it either.
    assert (await submit(engine, ids[1], 1, GOOD)).result is ResultStatus.CONFLICT
    async with create_sessionmaker(engine)() as session:
        case = await moderation.load_case(session, CIPHER, E2021.slug, "mazhilis", ids[1])
    assert case is not None and [copy.observer_id for copy in case.copies] == [2, 1], (
        "each observer's latest copy"
    )
    picked = next(copy.protocol_id for copy in case.copies if copy.observer_id == 2)
    result = await decide(
        engine, lambda s, *a: moderation.pick_copy(s, CIPHER, *a), picked, COORDINATOR
    )
    assert result.status == "counted"
    assert await counted(engine) == (1, 181)
    # A later copy with the coordinator's figures keeps it counted; a differing one reopens it.
    assert (await submit(engine, ids[1], 2, other)).result is ResultStatus.COUNTED
    assert (await submit(engine, ids[1], 3, GOOD)).result is ResultStatus.CONFLICT
    assert await counted(engine) == (0, 0)


async def test_correction_is_an_override_with_its_audit_row(engine: AsyncEngine) -> None:
    ids = await seed(engine, precinct_count=1)
    await submit(engine, ids[1], 1, BAD, "так в протоколе")
    correct = lambda s, *a: moderation.correct_figure(s, CIPHER, *a)
    result = await decide(
        engine,
        correct,
        E2021.slug,
        "mazhilis",
        ids[1],
        "ballots_invalid",
        10,
        COORDINATOR,
        "по фото",
    )
    assert (
        result.status == "counted"
        and result.figures["ballots_invalid"] == 10
        and result.override_by == COORDINATOR
    )
    assert await counted(engine) == (1, 201)
    async with create_sessionmaker(engine)() as session:
        [protocol] = (await session.execute(select(ProtocolRow))).scalars().all()
        master = await session.get(PrecinctResultRow, (E2021.slug, "mazhilis", ids[1]))
    assert protocol.figures["ballots_invalid"] == 11, "the observer's figures stay as sent"
    assert master is not None and CIPHER.decrypt(master.override_reason_encrypted) == "по фото"  # type: ignore[arg-type]
    [row] = [row for row in await audit(engine) if row.action == "correct-figure"]
    assert row.detail | {} == {
        "election": E2021.slug,
        "level": "mazhilis",
        "precinct": ids[1],
        "key": "ballots_invalid",
        "from": 11,
        "to": 10,
        "reason": "по фото",
    }
    with pytest.raises(DecisionRefused):
        await decide(
            engine, correct, E2021.slug, "mazhilis", ids[1], "votes.nobody", 1, COORDINATOR, ""
        )


async def test_an_older_version_is_not_a_case(engine: AsyncEngine) -> None:
    ids = await seed(engine, precinct_count=1)
    await submit(engine, ids[1], 1, BAD, "так")
    await submit(engine, ids[1], 1, GOOD)
    old, _ = await protocol_ids(engine)
    with pytest.raises(DecisionRefused):
        await decide(engine, moderation.verify_protocol, old, COORDINATOR)


async def test_two_observers_confirming_at_once_get_two_versions(
    database_url: str, engine: AsyncEngine
) -> None:
    """Issue 13: on PostgreSQL two updates run at once; both observers computed version 1 and the
    second failed on the unique constraint. Now the second takes version 2 (on SQLite the one
    writer connection makes them take turns)."""
    import asyncio

    ids = await seed(engine, precinct_count=1)
    other = {**GOOD, "votes.nur_otan": 181, "votes.ak_zhol": 90}
    first, second = await asyncio.gather(
        submit(engine, ids[1], 1, GOOD), submit(engine, ids[1], 2, other)
    )
    assert sorted((first.version, second.version)) == [1, 2]
    async with create_sessionmaker(engine)() as session:
        master = await session.get(PrecinctResultRow, (E2021.slug, "mazhilis", ids[1]))
    assert master is not None and master.status == "conflict", "both copies count as copies"
