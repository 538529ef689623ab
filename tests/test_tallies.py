"""Tallies over observers' protocols, and the seed 002 table reproduced as a post."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction

from sqlalchemy.ext.asyncio import AsyncEngine

from publishing.posts import tally_post, whole_percent
from publishing.tallies import tally_by_region, tally_for_level
from runtime.i18n import build_core
from services.elections import load_elections
from services.personal_data import PersonalDataCipher
from services.precincts import Precinct
from services.protocols import ProtocolService
from settings import PROJECT_ROOT
from storage.database import create_sessionmaker
from storage.precincts import PrecinctRepository
from storage.unit_of_work import unit_of_work
from tests.conftest import TEST_ENCRYPTION_KEY

E2021 = load_elections(PROJECT_ROOT / "elections")["2021-parliament"]
PARTIES = ("nur_otan", "ak_zhol", "auyl", "adal", "qhp")  # ballot order in the 2021 file
# Seed 002, "the tally table", made exact: counts whose shares round to the published figures.
# (precincts, voters, issued, received, votes by party, invalid)
SEED_002 = {
    "mazhilis": (
        192,
        433_325,
        138_664,
        426_659,
        {"nur_otan": 68_708, "auyl": 13_242, "ak_zhol": 24_335, "adal": 16_015, "qhp": 11_578},
        4_786,
    ),
    "local_maslikhat": (
        99,
        225_070,
        51_766,
        220_281,
        {"nur_otan": 22_544, "auyl": 7_014, "ak_zhol": 10_637, "adal": 7_480, "qhp": 1_785},
        2_306,
    ),
    "oblast_maslikhat": (
        79,
        167_228,
        63_547,
        174_102,
        {"nur_otan": 36_571, "auyl": 5_496, "ak_zhol": 10_453, "adal": 6_640, "qhp": 2_192},
        2_195,
    ),
}
PUBLISHED = {  # precincts, turnout, unused, Nur Otan, Auyl, Ak Zhol, Adal, QHP, spoiled
    "mazhilis": (192, 32, 68, 50, 10, 18, 12, 8, 3),
    "local_maslikhat": (99, 23, 77, 44, 14, 21, 14, 3, 4),
    "oblast_maslikhat": (79, 38, 64, 58, 9, 16, 10, 3, 3),
}


def split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


async def seed(engine: AsyncEngine, precinct_count: int = 192) -> dict[int, int]:
    """Precincts in a region with every level; returns number → id."""
    async with unit_of_work(create_sessionmaker(engine)) as unit:
        repository = PrecinctRepository(unit.session)
        await repository.upsert_all(
            [
                Precinct(
                    number=n,
                    region="almaty",
                    district_kk="Аудан",
                    district_ru="Район",
                    address_kk="Мекенжай",
                    address_ru="Адрес",
                )
                for n in range(1, precinct_count + 1)
            ]
        )
        return {n: (await repository.find("almaty", n)).id for n in range(1, precinct_count + 1)}  # type: ignore[union-attr]


async def submit_level(engine: AsyncEngine, ids: dict[int, int], level: str) -> None:
    count, voters, issued, received, votes, _invalid = SEED_002[level]
    voters_i, issued_i, received_i = (
        split(voters, count),
        split(issued, count),
        split(received, count),
    )
    votes_i = {party: split(total, count) for party, total in votes.items()}
    async with unit_of_work(create_sessionmaker(engine)) as unit:
        service = ProtocolService(unit.session, PersonalDataCipher(TEST_ENCRYPTION_KEY))
        for index in range(count):
            party_votes = {f"votes.{party}": votes_i[party][index] for party in PARTIES}
            figures = {
                "voters_on_list": voters_i[index],
                "ballots_received": received_i[index],
                "ballots_issued": issued_i[index],
                "ballots_unused": received_i[index] - issued_i[index],
                "ballots_in_boxes": issued_i[index],
                "ballots_invalid": issued_i[index] - sum(party_votes.values()),
                **party_votes,
            }
            result = await service.submit(
                E2021, level, ids[index + 1], 1, figures, [], list(figures), None
            )
            assert result.status.value == "received", figures


async def test_seed_002_table_is_reproduced(engine: AsyncEngine) -> None:
    ids = await seed(engine)
    core = build_core()
    translate = lambda message_id, locale, **kw: core.get(message_id, locale, **kw)
    for level, published in PUBLISHED.items():
        await submit_level(engine, ids, level)
        async with create_sessionmaker(engine)() as session:
            tally = await tally_for_level(session, E2021, level)
        precincts, turnout, unused, nur_otan, auyl, ak_zhol, adal, qhp, spoiled = published
        assert tally.precincts == precincts and tally.voters == SEED_002[level][1]
        assert (
            whole_percent(tally.turnout) == turnout and whole_percent(tally.unused_share) == unused
        )
        assert [
            whole_percent(tally.party_share(p))
            for p in ("nur_otan", "auyl", "ak_zhol", "adal", "qhp")
        ] == [nur_otan, auyl, ak_zhol, adal, qhp]
        assert whole_percent(tally.invalid_share) == spoiled
        post = tally_post(E2021, tally, "ru", translate, datetime(2021, 1, 20, 12, 0))
        assert (
            f"Явка: {turnout}%" in post
            and f"Nur Otan: {nur_otan}%" in post
            and f"Недействительные: {spoiled}%" in post
        )
        assert f"Участков: {precincts} из 192" in post and "Против всех" not in post, (
            "2021 had no against-all line"
        )
        assert "не репрезентативная выборка" in post
        kazakh = tally_post(E2021, tally, "kk", translate, datetime(2021, 1, 20, 12, 0))
        assert f"Дауыс бергендер: {turnout}%" in kazakh and "репрезентативті іріктеу емес" in kazakh
    mazhilis_post = tally_post(E2021, tally, "ru", translate, datetime(2021, 1, 20, 12, 0))
    assert len(mazhilis_post) < 4096


async def test_empty_flagged_and_versions(engine: AsyncEngine) -> None:
    ids = await seed(engine, precinct_count=2)
    async with create_sessionmaker(engine)() as session:
        empty = await tally_for_level(session, E2021, "mazhilis")
    assert (empty.precincts, empty.turnout, empty.invalid_share) == (0, Fraction(0), Fraction(0))
    good = {
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
    async with unit_of_work(create_sessionmaker(engine)) as unit:
        service = ProtocolService(unit.session, PersonalDataCipher(TEST_ENCRYPTION_KEY))
        await service.submit(E2021, "mazhilis", ids[1], 1, good, [], [], None)
        # Version 2 of the same precinct replaces version 1 in the tally.
        await service.submit(
            E2021,
            "mazhilis",
            ids[1],
            1,
            {**good, "votes.nur_otan": 211, "ballots_invalid": 0},
            [],
            [],
            None,
        )
        # A protocol that fails a hard check is kept out until verified.
        await service.submit(
            E2021, "mazhilis", ids[2], 1, {**good, "ballots_invalid": 99}, [], [], "так в протоколе"
        )
    async with create_sessionmaker(engine)() as session:
        tally = await tally_for_level(session, E2021, "mazhilis")
    assert (tally.precincts, tally.precincts_total) == (1, 2)
    assert tally.votes["nur_otan"] == 211 and tally.invalid == 0 and tally.against_all is None


async def test_tally_per_region(engine: AsyncEngine) -> None:
    async with unit_of_work(create_sessionmaker(engine)) as unit:
        repository = PrecinctRepository(unit.session)
        await repository.upsert_all(
            [
                Precinct(
                    number=n,
                    region=region,
                    district_kk="Аудан",
                    district_ru="Район",
                    address_kk="Мекенжай",
                    address_ru="Адрес",
                )
                for n, region in ((1, "almaty"), (2, "almaty"), (3, "abai"), (4, "astana"))
            ]
        )
        ids = {
            n: (await repository.find(region, n)).id
            for n, region in ((1, "almaty"), (2, "almaty"), (3, "abai"))
        }  # type: ignore[union-attr]
        service = ProtocolService(unit.session, PersonalDataCipher(TEST_ENCRYPTION_KEY))
        for number, issued in ((1, 400), (2, 600), (3, 300)):
            figures = {
                "voters_on_list": 1000,
                "ballots_received": 1000,
                "ballots_issued": issued,
                "ballots_unused": 1000 - issued,
                "ballots_in_boxes": issued,
                "ballots_invalid": 0,
                "votes.nur_otan": issued,
                "votes.ak_zhol": 0,
                "votes.auyl": 0,
                "votes.adal": 0,
                "votes.qhp": 0,
            }
            await service.submit(E2021, "mazhilis", ids[number], 1, figures, [], [], None)
    async with create_sessionmaker(engine)() as session:
        regions = await tally_by_region(session, E2021, "mazhilis")
    assert set(regions) == {"almaty", "abai"}, "a region without counted protocols is left out"
    assert (
        regions["almaty"].precincts,
        regions["almaty"].precincts_total,
        regions["almaty"].turnout,
    ) == (2, 2, Fraction(1, 2))
    assert (regions["abai"].precincts, regions["abai"].issued) == (1, 300)
