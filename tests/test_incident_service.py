"""report_incident and what follows it as a service, on SQLite and PostgreSQL, without Telegram:
the text sealed at rest, a repeat found and merged, corrections only by the author, and /forget
leaving the report for the record but nothing that leads to the person."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from models.tables import IncidentRow, utc_now
from runtime.launcher import DEMO_PRECINCTS
from services.incidents import IncidentService
from services.personal_data import PersonalDataCipher
from services.precincts import parse_precincts_csv
from storage.database import create_sessionmaker
from storage.precincts import PrecinctRepository
from storage.unit_of_work import unit_of_work
from tests.conftest import TEST_ENCRYPTION_KEY

AUTHOR, SOMEONE_ELSE = 601, 602
EVIDENCE = {"chat_id": AUTHOR, "message_id": 10, "kind": "photo", "file_id": "AgAD-1"}


def _service(session: AsyncSession) -> IncidentService:
    return IncidentService(session, PersonalDataCipher(TEST_ENCRYPTION_KEY))


async def _precinct(session: AsyncSession) -> int:
    precincts, _ = parse_precincts_csv(DEMO_PRECINCTS.read_text(encoding="utf-8"))
    await PrecinctRepository(session).upsert_all(precincts)
    row = await PrecinctRepository(session).find("astana", 12)
    assert row is not None
    return row.id


async def _report(session: AsyncSession, precinct: int, text: str, category: str = "STUFFING"):
    return await _service(session).report(
        AUTHOR,
        precinct,
        category,
        "critical",
        utc_now() - timedelta(minutes=5),
        text,
        [EVIDENCE],
        (51.1283, 71.4305),
    )


async def test_a_report_is_sealed_and_a_repeat_is_merged_into_it(engine: AsyncEngine) -> None:
    sessionmaker = create_sessionmaker(engine)
    async with unit_of_work(sessionmaker) as unit:
        precinct = await _precinct(unit.session)
        first = await _report(unit.session, precinct, "Вброс пачки бюллетеней в урну № 2")
    async with unit_of_work(sessionmaker) as unit:
        service = _service(unit.session)
        row = await unit.session.get(IncidentRow, first.id)
        assert row is not None and "Вброс".encode() not in row.description_encrypted
        assert await service.description(row) == "Вброс пачки бюллетеней в урну № 2"
        assert (row.latitude, row.longitude, row.evidence) == (51.1283, 71.4305, [EVIDENCE])
        # The same observer, precinct and violation minutes later is the same incident.
        repeat = await service.recent_repeat(AUTHOR, precinct, "STUFFING")
        assert repeat is not None and repeat.id == first.id
        assert await service.recent_repeat(AUTHOR, precinct, "CAROUSEL") is None
        assert await service.recent_repeat(SOMEONE_ELSE, precinct, "STUFFING") is None
        second = {**EVIDENCE, "message_id": 11, "file_id": "AgAD-2"}
        await service.merge(first.id, "Вторая пачка", [second])
    async with unit_of_work(sessionmaker) as unit:
        service = _service(unit.session)
        [row] = await service.of_observer(AUTHOR)
        text = await service.description(row)
        assert text == "Вброс пачки бюллетеней в урну № 2\n---\nВторая пачка"
        assert [item["file_id"] for item in row.evidence] == ["AgAD-1", "AgAD-2"]


async def test_only_the_author_adds_to_a_report_and_nothing_is_replaced(
    engine: AsyncEngine,
) -> None:
    sessionmaker = create_sessionmaker(engine)
    async with unit_of_work(sessionmaker) as unit:
        precinct = await _precinct(unit.session)
        row = await _report(unit.session, precinct, "Наблюдателя удалили")
    async with unit_of_work(sessionmaker) as unit:
        service = _service(unit.session)
        assert not await service.add_correction(SOMEONE_ELSE, row.id, "Неправда")
        assert not await service.add_correction(AUTHOR, row.id + 1000, "Нет такого")
        assert await service.add_correction(AUTHOR, row.id, "В 14:20, председатель УИК")
    async with unit_of_work(sessionmaker) as unit:
        [stored] = await _service(unit.session).of_observer(AUTHOR)
        assert await _service(unit.session).description(stored) == (
            "Наблюдателя удалили\n---\nВ 14:20, председатель УИК"
        )


async def test_forget_keeps_the_report_but_nothing_that_leads_to_the_person(
    engine: AsyncEngine,
) -> None:
    sessionmaker = create_sessionmaker(engine)
    async with unit_of_work(sessionmaker) as unit:
        precinct = await _precinct(unit.session)
        row = await _report(unit.session, precinct, "Меня зовут Аружан, мне угрожали")
    async with unit_of_work(sessionmaker) as unit:
        await _service(unit.session).forget_observer(AUTHOR)
    async with unit_of_work(sessionmaker) as unit:
        [kept] = (await unit.session.execute(select(IncidentRow))).scalars()
        assert kept.id == row.id and kept.category == "STUFFING" and kept.precinct_id == precinct
        assert kept.observer_id is None and await _service(unit.session).description(kept) == ""
        assert kept.latitude is None and kept.longitude is None
        assert kept.evidence == [{"kind": "photo", "file_id": "AgAD-1"}], "no chat, no message"
        assert await _service(unit.session).of_observer(AUTHOR) == []
