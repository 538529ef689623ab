"""The precinct directory import: all or nothing, each bad line named."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from runtime.launcher import DEMO_PRECINCTS
from services.precincts import parse_precincts_csv
from storage.database import create_sessionmaker
from storage.precincts import PrecinctRepository
from storage.unit_of_work import unit_of_work

HEADER = "number,region,district_kk,district_ru,address_kk,address_ru,voters_on_list\n"


def test_demo_directory_is_valid() -> None:
    precincts, errors = parse_precincts_csv(DEMO_PRECINCTS.read_text(encoding="utf-8"))
    assert errors == [] and len(precincts) == 8
    assert {(p.region, p.number) for p in precincts} >= {("almaty_city", 101), ("karaganda", 101)}
    assert next(p for p in precincts if p.number == 13).voters_on_list is None


def test_every_bad_line_is_reported() -> None:
    text = HEADER + (
        "101,almaty_city,A,А,addr,адрес,100\n"
        "abc,almaty_city,A,А,addr,адрес,100\n"
        "102,atlantis,A,А,addr,адрес,100\n"
        "103,astana,A,А,,адрес,-5\n"
        "101,almaty_city,B,Б,addr2,адрес2,\n"
        "104,astana,A,А,addr,адрес,1,extra\n"
    )
    _precincts, errors = parse_precincts_csv(text)
    messages = [str(error) for error in errors]
    assert [error.line for error in errors] == [3, 4, 5, 6, 7]
    assert "number" in messages[0] and "atlantis" in messages[1]
    assert "address_kk" in messages[2] and "voters_on_list" in messages[2]
    assert "also on line 2" in messages[3]


def test_missing_columns_are_named() -> None:
    _, errors = parse_precincts_csv("number,region\n1,astana\n")
    assert errors and "district_kk" in str(errors[0])


async def test_import_adds_then_updates(engine: AsyncEngine) -> None:
    precincts, _ = parse_precincts_csv(DEMO_PRECINCTS.read_text(encoding="utf-8"))
    sessionmaker = create_sessionmaker(engine)
    async with unit_of_work(sessionmaker) as unit:
        assert await PrecinctRepository(unit.session).upsert_all(precincts) == (8, 0)
    changed = [
        p.model_copy(update={"voters_on_list": 999}) if p.number == 13 else p for p in precincts
    ]
    async with unit_of_work(sessionmaker) as unit:
        repository = PrecinctRepository(unit.session)
        assert await repository.upsert_all(changed) == (0, 8)
        row = await repository.find("astana", 13)
        assert (
            row is not None
            and row.voters_on_list == 999
            and row.address_ru.startswith("улица Туркестан")
        )


def test_cli_imports_all_or_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import bot

    monkeypatch.setenv("HAQBOT_DATABASE__URL", f"sqlite+aiosqlite:///{tmp_path / 'p.sqlite3'}")
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "1,astana,A,А,a,а,1\n2,nowhere,A,А,a,а,1\n", encoding="utf-8")
    assert bot.main(["import", "precincts", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "line 3: region" in out and "nothing imported" in out
    assert bot.main(["import", "precincts", str(DEMO_PRECINCTS)]) == 0
    assert "8 precinct(s) added, 0 updated" in capsys.readouterr().out
    assert bot.main(["import", "precincts", str(bad)]) == 1, "still nothing half-imported"


async def test_emulator_mode_loads_the_demo_directory_once(bot) -> None:
    from runtime.launcher import load_demo_precincts

    await load_demo_precincts(bot.app)
    await load_demo_precincts(bot.app)
    async with bot.app.sessionmaker() as session:
        assert await PrecinctRepository(session).count() == 8


async def test_a_regional_invite_for_another_region_goes_to_coordinators(
    engine: AsyncEngine,
) -> None:
    from models.observer import ObserverStatus
    from services.observers import ObserverService, Registration
    from services.personal_data import PersonalDataCipher
    from storage.observers import ObserverRepository
    from tests.conftest import TEST_ENCRYPTION_KEY

    precincts, _ = parse_precincts_csv(DEMO_PRECINCTS.read_text(encoding="utf-8"))
    sessionmaker = create_sessionmaker(engine)
    async with unit_of_work(sessionmaker) as unit:
        await PrecinctRepository(unit.session).upsert_all(precincts)
        astana = await PrecinctRepository(unit.session).find("astana", 12)
        service = ObserverService(
            ObserverRepository(unit.session), PersonalDataCipher(TEST_ENCRYPTION_KEY)
        )
        [code] = await service.create_invites(1, "almaty_city", days=1)
        status = await service.register(
            7, Registration("Аты Жөні", "+77011112233", [astana.id], code)
        )  # type: ignore[union-attr]
        assert status is ObserverStatus.PENDING
        assert await service.invite_problem(code) is None, "the code is not spent on a refused use"
        observer = await service.observer(7)
        assert observer is not None and observer.phone == "+77011112233" and not observer.invited
