"""Official results: all-or-nothing import, re-import, the discrepancy report, the exports."""

from __future__ import annotations

import csv
import io
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from models.tables import OfficialImportRow, OfficialResultRow
from services.coordinator_exports import export_bytes
from services.incidents import load_incident_catalog
from services.official_results import ImportRefused, discrepancy_report, form_keys, import_official
from services.personal_data import PersonalDataCipher
from settings import PROJECT_ROOT
from storage.database import create_sessionmaker
from storage.unit_of_work import unit_of_work
from tests.conftest import TEST_ENCRYPTION_KEY
from tests.test_moderation import GOOD, submit
from tests.test_tallies import E2021, seed

CIPHER = PersonalDataCipher(TEST_ENCRYPTION_KEY)
CATALOG = load_incident_catalog(PROJECT_ROOT / "incidents" / "categories.toml")
KEYS = form_keys(E2021, "mazhilis")


def official_csv(
    changes: dict[int, dict[str, int]], numbers: range = range(1, 6), extra: str = ""
) -> bytes:
    """Every precinct as observers saw it (GOOD), but for the changes the official file makes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["region", "number", *KEYS])
    for number in numbers:
        figures = {**GOOD, **changes.get(number, {})}
        writer.writerow(["almaty", number, *(figures[key] for key in KEYS)])
    return (buffer.getvalue() + extra).encode("utf-8")


# The official file moves 30 votes from Ak Zhol to Nur Otan at №2 and 10 at №4, and adds 50
# ballots, all for Nur Otan, at №5 (turnout added: issued and in boxes up, unused down).
MOVED = {
    2: {"votes.nur_otan": 231, "votes.ak_zhol": 40},
    4: {"votes.nur_otan": 211, "votes.ak_zhol": 60},
    5: {
        "votes.nur_otan": 251,
        "ballots_issued": 451,
        "ballots_in_boxes": 451,
        "ballots_unused": 549,
    },
}


async def observed(engine: AsyncEngine) -> dict[int, int]:
    ids = await seed(engine, precinct_count=6)
    for number in range(1, 6):
        await submit(engine, ids[number], number, GOOD)
    return ids


async def test_the_report_shows_exactly_the_moved_votes(engine: AsyncEngine) -> None:
    await observed(engine)
    async with unit_of_work(create_sessionmaker(engine)) as unit:
        assert (
            await import_official(
                unit.session, E2021, "mazhilis", official_csv(MOVED), "cec.csv", "test"
            )
            == 5
        )
    async with create_sessionmaker(engine)() as session:
        report = await discrepancy_report(session, E2021, "mazhilis")
    assert report.compared == 5
    assert [(p.number, p.gap) for p in report.precincts] == [(5, 200), (2, 60), (4, 20)], (
        "largest gap first"
    )
    changed = {
        p.number: {line.key: line.difference for line in p.lines if line.difference}
        for p in report.precincts
    }
    assert changed[2] == {"votes.nur_otan": 30, "votes.ak_zhol": -30}
    assert changed[5] == {
        "ballots_issued": 50,
        "ballots_unused": -50,
        "ballots_in_boxes": 50,
        "votes.nur_otan": 50,
    }
    assert report.moved == {"nur_otan": 90, "ak_zhol": -40, "auyl": 0, "adal": 0, "qhp": 0}
    async with unit_of_work(create_sessionmaker(engine)) as unit:
        content, rows = await export_bytes(
            unit.session, E2021, CATALOG, "discrepancies", "csv", "test"
        )
    table = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == 3 and [row["number"] for row in table] == ["5", "2", "4"]
    assert table[1]["votes.ak_zhol observed"] == "70" and table[1]["votes.ak_zhol official"] == "40"
    assert table[1]["votes.ak_zhol difference"] == "-30" and table[1]["level"] == "mazhilis"


async def test_a_bad_file_is_refused_whole(engine: AsyncEngine) -> None:
    await observed(engine)
    bad = official_csv(
        {},
        extra="almaty,99,1,1,1,1,1,1,1,1,1,1,1\nalmaty,3,x,1,1,1,1,1,1,1,1,1,1\nalmaty,1,"
        + ",".join("1" * 11)
        + "\n",
    )
    async with unit_of_work(create_sessionmaker(engine)) as unit:
        with pytest.raises(ImportRefused) as refused:
            await import_official(unit.session, E2021, "mazhilis", bad, "cec.csv", "test")
    problems = [str(error) for error in refused.value.errors]
    assert problems == [
        "line 7: precinct 99 in 'almaty' is not in the directory",
        "line 8: voters_on_list: 'x' is not a count; the same precinct is on line 4",
        "line 9: the same precinct is on line 2",
    ]
    missing = b"region,number,voters_on_list\nalmaty,1,5\n"
    async with unit_of_work(create_sessionmaker(engine)) as unit:
        with pytest.raises(ImportRefused) as refused:
            await import_official(unit.session, E2021, "mazhilis", missing, "cec.csv", "test")
    assert str(refused.value.errors[0]).startswith("line 1: missing columns: ballots_received")
    async with create_sessionmaker(engine)() as session:
        assert await session.scalar(select(func.count()).select_from(OfficialResultRow)) == 0, (
            "nothing imported"
        )


async def test_a_new_import_replaces_the_previous_one_and_keeps_it(engine: AsyncEngine) -> None:
    await observed(engine)
    for changes in (MOVED, {}):
        async with unit_of_work(create_sessionmaker(engine)) as unit:
            await import_official(
                unit.session, E2021, "mazhilis", official_csv(changes), "cec.csv", "test"
            )
    async with create_sessionmaker(engine)() as session:
        report = await discrepancy_report(session, E2021, "mazhilis")
        imports = await session.scalar(select(func.count()).select_from(OfficialImportRow))
        kept = await session.scalar(select(func.count()).select_from(OfficialResultRow))
    assert (report.compared, report.precincts) == (5, ()), (
        "the newer import says what observers saw"
    )
    assert (imports, kept) == (2, 10), "the earlier import stays as history"


async def test_an_xlsx_import(engine: AsyncEngine) -> None:
    from openpyxl import Workbook

    await observed(engine)
    workbook = Workbook()
    sheet = workbook.active
    for row in csv.reader(io.StringIO(official_csv(MOVED).decode())):
        sheet.append([int(cell) if cell.isdigit() else cell for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    async with unit_of_work(create_sessionmaker(engine)) as unit:
        assert (
            await import_official(
                unit.session, E2021, "mazhilis", buffer.getvalue(), "cec.xlsx", "test"
            )
            == 5
        )
    async with create_sessionmaker(engine)() as session:
        assert len((await discrepancy_report(session, E2021, "mazhilis")).precincts) == 3


async def test_protocol_export_personal_only_when_asked(engine: AsyncEngine) -> None:
    ids = await observed(engine)
    await submit(engine, ids[6], 66, {**GOOD, "ballots_invalid": 11}, '=HYPERLINK("http://x")')
    async with unit_of_work(create_sessionmaker(engine)) as unit:
        plain, rows = await export_bytes(unit.session, E2021, CATALOG, "protocols", "csv", "test")
        personal, _ = await export_bytes(
            unit.session, E2021, CATALOG, "protocols", "csv", "test", CIPHER
        )
    table = list(csv.DictReader(io.StringIO(plain.decode("utf-8-sig"))))
    assert (
        rows == 6 and "observer_id (personal)" not in table[0] and "HYPERLINK" not in plain.decode()
    )
    flagged = next(row for row in table if row["number"] == "6")
    assert (flagged["status"], flagged["precinct_status"], flagged["hard_failures"]) == (
        "flagged",
        "flagged",
        "boxes-balance",
    )
    with_personal = list(csv.DictReader(io.StringIO(personal.decode("utf-8-sig"))))
    reason = next(row for row in with_personal if row["number"] == "6")[
        "observer_reason (personal)"
    ]
    assert reason == '\'=HYPERLINK("http://x")', "formula-safe"


def test_cli_import_and_exports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import asyncio

    import bot
    from storage import migrate
    from storage.database import create_engine

    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("HAQBOT_DATABASE__URL", url)
    monkeypatch.setenv("HAQBOT_SECURITY__ENCRYPTION_KEY", TEST_ENCRYPTION_KEY)
    monkeypatch.setenv("HAQBOT_ELECTION__ACTIVE", E2021.slug)

    async def prepare() -> None:
        engine = create_engine(url)
        await migrate.upgrade(engine)
        await observed(engine)
        await engine.dispose()

    asyncio.run(prepare())
    good, bad = tmp_path / "cec.csv", tmp_path / "bad.csv"
    good.write_bytes(official_csv(MOVED))
    bad.write_bytes(official_csv({}, extra="almaty,77," + ",".join("1" * 11) + "\n"))
    assert bot.main(["import", "official", str(bad), "--level", "mazhilis"]) == 1
    assert "line 7: precinct 77 in 'almaty' is not in the directory" in capsys.readouterr().out
    assert bot.main(["import", "official", str(good), "--level", "mazhilis"]) == 0
    assert "official results of 5 precinct(s) imported" in capsys.readouterr().out
    assert bot.main(["discrepancies", "--level", "mazhilis"]) == 0
    out = capsys.readouterr().out
    assert (
        "5 precinct(s) compared, 3 differ" in out
        and "almaty №5: gap 200" in out
        and "nur_otan                    +90" in out
    )
    target = tmp_path / "out" / "protocols.xlsx"
    assert (
        bot.main(["export", "protocols", "--format", "xlsx", "--output", str(target), "--personal"])
        == 0
    )
    assert "WITH PERSONAL DATA" in capsys.readouterr().out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


async def test_the_comparison_post_in_both_languages(engine: AsyncEngine, output_dir: Path) -> None:
    from publishing.compose import comparison_drafts
    from publishing.outbox import TEXT_LIMIT, PostKind, shown_length
    from tests.test_channel import context

    await observed(engine)
    async with create_sessionmaker(engine)() as session:
        assert await comparison_drafts(session, context(), datetime.now(UTC)) == [], (
            "nothing before an import"
        )
    async with unit_of_work(create_sessionmaker(engine)) as unit:
        await import_official(
            unit.session, E2021, "mazhilis", official_csv(MOVED), "cec.csv", "test"
        )
    for layout in ("bilingual", "per_language"):
        async with create_sessionmaker(engine)() as session:
            drafts = await comparison_drafts(
                session, context(layout), datetime(2021, 1, 11, 3, 0, tzinfo=UTC)
            )
        assert {pending.draft.kind for pending in drafts} == {PostKind.COMPARISON}
        for pending in drafts:
            text = pending.draft.text
            assert shown_length(text) <= TEXT_LIMIT and (pending.draft.caption or "") == ""
            if "На тех же" in text:
                # Over the same 5 precincts: 1005 observed vs 1095 official Nur Otan votes of 2005
                # vs 2055 in boxes.
                assert (
                    "На тех же 5 участках официальные цифры расходятся с копиями протоколов на 3."
                    in text
                )
                assert (
                    "Nur Otan: 50,1% → 53,3% (+90)" in text
                    and "Ак жол: 17,5% → 15,1% (-40)" in text
                )
                assert "№" not in text, "no precinct is named"
            if "Сол 5 учаскенің 3 учаскесінде" in text:
                assert "Nur Otan: 50,1% → 53,3% (+90)" in text
        chart = drafts[0].ready().chart
        assert chart is not None and chart.startswith(b"\x89PNG")
        (output_dir / f"comparison-{layout}.png").write_bytes(chart)


def test_threshold_and_turnout_range_in_the_tally_post() -> None:
    from fractions import Fraction

    from publishing.posts import tally_post
    from publishing.tallies import LevelTally
    from runtime.i18n import build_core

    core = build_core()
    translate = lambda message_id, locale, **kw: core.get(message_id, locale, **kw)

    def tally(region_voters: int, issued: int) -> LevelTally:
        votes = {
            "nur_otan": 500,
            "ak_zhol": 200,
            "auyl": 80,
            "adal": 70,
            "qhp": 60,
        }  # of 1,000 in the boxes
        return LevelTally(
            E2021.slug,
            "mazhilis",
            1,
            2,
            region_voters,
            1000,
            issued,
            1000 - issued,
            1000,
            90,
            None,
            votes,
        )

    whole = tally(4000, 1000)
    regions = {"almaty": tally(2000, 300), "abai": tally(2000, 700)}
    post = tally_post(E2021, whole, "ru", translate, datetime(2021, 1, 11, 3, 0), regions)
    assert "Барьер 7% на этих участках проходят: Nur Otan, Ак жол, Ауыл, Адал\n" in post, (
        "7% passes, 6% does not"
    )
    assert whole.party_share("adal") == Fraction(7, 100), "exactly at the threshold passes"
    assert "Явка по регионам: от 15% (Алматинская область) до 35% (Абайская область)" in post
    kazakh = tally_post(E2021, whole, "kk", translate, datetime(2021, 1, 11, 3, 0), regions)
    assert (
        "Осы учаскелерде 7%-дық өту шегінен өтетін партиялар: Nur Otan, Ақ жол, Ауыл, Адал\n"
        in kazakh
    )


async def test_observer_export_names_people_only_when_asked(engine: AsyncEngine) -> None:
    from models.tables import ObserverPrecinctRow, ObserverRow

    ids = await observed(engine)
    async with unit_of_work(create_sessionmaker(engine)) as unit:
        unit.session.add(
            ObserverRow(
                telegram_id=1,
                status="approved",
                name_encrypted=CIPHER.encrypt("=Иванова А."),
                phone_encrypted=CIPHER.encrypt("+77011234567"),
            )
        )
        await unit.session.flush()
        unit.session.add(ObserverPrecinctRow(telegram_id=1, precinct_id=ids[1]))
    async with unit_of_work(create_sessionmaker(engine)) as unit:
        plain, _rows = await export_bytes(unit.session, E2021, CATALOG, "observers", "csv", "test")
        personal, _ = await export_bytes(
            unit.session, E2021, CATALOG, "observers", "csv", "test", CIPHER
        )
    [row] = list(csv.DictReader(io.StringIO(plain.decode("utf-8-sig"))))
    assert (row["status"], row["precincts"], row["protocols_sent"]) == ("approved", "almaty/1", "1")
    assert "Иванова" not in plain.decode() and "7701" not in plain.decode()
    [named] = list(csv.DictReader(io.StringIO(personal.decode("utf-8-sig"))))
    assert (
        named["name (personal)"] == "'=Иванова А." and named["phone (personal)"] == "'+77011234567"
    ), "formula-safe"
