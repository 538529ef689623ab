"""Demo data for the emulator: a few hundred generated protocols, incidents and signatures, so a
newcomer sees the channel, the tallies and the coordinators' queues with something in them.

Everything generated is marked: demo precincts are numbered from DEMO_FIRST_NUMBER, demo
observers and signers have ids from DEMO_FIRST_USER. Only ever run against the emulator
(runtime.commands.fill_demo refuses when a real token is configured)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.election import Election
from models.incident import IncidentCatalog
from models.petition import Petition
from models.tables import PrecinctRow
from services.incidents import IncidentService
from services.personal_data import PersonalDataCipher
from services.precincts import Precinct
from services.protocols import ProtocolService, check_figures
from services.regions import REGIONS
from services.signatures import SignatureService
from storage.petitions import SignatureRepository
from storage.precincts import PrecinctRepository

DEMO_FIRST_NUMBER = 9001
DEMO_FIRST_USER = 7_700_000_000
# Of the demo protocols: this share fails a hard check (more ballots in the boxes than issued,
# as in stuffing) and waits in the flagged queue; this share has a second observer's differing
# copy and waits in the conflicts queue.
STUFFED = 0.04
CONFLICTING = 0.04

_SURNAMES = (
    "Ахметов", "Сериков", "Жумабаев", "Касымов", "Нурланов", "Омаров", "Ибраимов", "Абенов",
    "Тулегенов", "Бекмуханов", "Иванов", "Ким", "Садыков", "Есенов", "Байжанов", "Мусин",
)  # fmt: skip
_GIVEN = (
    "Айгерим", "Арман", "Дана", "Ерлан", "Гульнар", "Нурлан", "Асель", "Тимур", "Жанар",
    "Серик", "Алия", "Марат", "Динара", "Бауыржан", "Салтанат", "Ольга",
)  # fmt: skip
_DESCRIPTIONS = (
    "Председатель комиссии попросил выйти из помещения.",
    "Камера над кабиной направлена на бюллетень.",
    "Одна и та же женщина голосовала дважды.",
    "Копию протокола выдать отказались.",
    "Учаскеге кіргізбеді, ПТР-тест талап етті.",
    "Бақылаушыға суретке түсіруге тыйым салынды.",
)


@dataclass(frozen=True)
class DemoSummary:
    precincts: int
    protocols: int
    flagged: int
    conflicts: int
    incidents: int
    signatures: int


def consistent_figures(election: Election, level: str, rng: random.Random) -> dict[str, int]:
    """Figures of a correct protocol: every control relation holds."""
    keys = [line.key for line in election.form_for(level)]
    for _ in range(1000):
        voters = rng.randint(300, 3200)
        received = voters + rng.choice((0, 0, 5, 10, 20))
        issued = rng.randint(voters // 6, voters * 9 // 10)
        in_boxes = issued - rng.choice((0, 0, 0, 1, 2))
        invalid = rng.randint(0, max(1, in_boxes // 30))
        against = rng.randint(0, max(1, in_boxes // 25)) if "against_all" in keys else 0
        votes_keys = [key for key in keys if key.startswith("votes.")]
        remaining = in_boxes - invalid - against
        weights = [rng.random() ** 2 + 0.02 for _ in votes_keys]
        shares = [int(remaining * weight / sum(weights)) for weight in weights]
        shares[0] += remaining - sum(shares)
        figures = {
            "voters_on_list": voters,
            "ballots_received": received,
            "ballots_issued": issued,
            "ballots_unused": received - issued,
            "ballots_in_boxes": in_boxes,
            "ballots_invalid": invalid,
            **dict(zip(votes_keys, shares, strict=True)),
        }
        if "against_all" in keys:
            figures["against_all"] = against
        figures = {key: figures[key] for key in keys}
        if all(result.ok for result in check_figures(election, figures)):
            return figures
    raise RuntimeError("could not make consistent figures")


def demo_precincts(count: int, rng: random.Random) -> list[Precinct]:
    """Polling stations across the regions (abroad has none), numbered from DEMO_FIRST_NUMBER."""
    regions = [region for region in REGIONS if region != "abroad"]
    return [
        Precinct(
            number=DEMO_FIRST_NUMBER + index,
            region=regions[index % len(regions)],
            district_kk=f"Демо ауданы {index % 3 + 1}",
            district_ru=f"Демо-район {index % 3 + 1}",
            address_kk=f"Демо көшесі, {index + 1}, №{index % 90 + 1} мектеп",
            address_ru=f"Демо-улица, {index + 1}, школа № {index % 90 + 1}",
            voters_on_list=rng.randint(600, 3000),
        )
        for index in range(count)
    ]


async def already_filled(session: AsyncSession) -> bool:
    found = await session.scalar(
        select(func.count()).select_from(PrecinctRow).where(PrecinctRow.number >= DEMO_FIRST_NUMBER)
    )
    return bool(found)


async def fill_demo(
    session: AsyncSession,
    cipher: PersonalDataCipher,
    election: Election,
    catalog: IncidentCatalog,
    petitions: list[Petition],
    *,
    precinct_count: int,
    signatures: int,
    incidents: int,
    seed: int = 2021,
) -> DemoSummary:
    """Generates and stores the demo data through the same services the bot uses, so the
    tallies, queues and channel posts read it as they would real reports."""
    rng = random.Random(seed)
    repository = PrecinctRepository(session)
    await repository.upsert_all(demo_precincts(precinct_count, rng))
    rows = list(
        (
            await session.execute(
                select(PrecinctRow).where(PrecinctRow.number >= DEMO_FIRST_NUMBER)
            )
        ).scalars()
    )
    protocols = ProtocolService(session, cipher)
    observer = DEMO_FIRST_USER
    submitted = flagged = conflicts = 0
    for row in rows:
        for level in election.levels:
            if row.region in level.not_in_regions or rng.random() < 0.15:
                continue  # no observer there for this level
            observer += 1
            figures = consistent_figures(election, level.key, rng)
            reason = None
            if rng.random() < STUFFED:
                figures["ballots_in_boxes"] = figures["ballots_issued"] + rng.randint(20, 120)
                first_party = next(k for k in figures if k.startswith("votes."))
                figures[first_party] += figures["ballots_in_boxes"] - figures["ballots_issued"]
                reason = "Так записано в протоколе комиссии."
                flagged += 1
            typed = list(figures)
            await protocols.submit(
                election, level.key, row.id, observer, figures, [], typed, reason
            )
            submitted += 1
            if reason is None and rng.random() < CONFLICTING:
                observer += 1
                other = dict(figures)
                first_party = next(k for k in other if k.startswith("votes."))
                second_party = [k for k in other if k.startswith("votes.")][1]
                moved = min(other[second_party], rng.randint(10, 60))
                other[first_party] += moved
                other[second_party] -= moved
                await protocols.submit(
                    election, level.key, row.id, observer, other, [], typed, None
                )
                submitted += 1
                conflicts += 1

    reports = IncidentService(session, cipher)
    polls_open = datetime.combine(election.date, time(7), tzinfo=ZoneInfo(election.timezone))
    for _ in range(incidents):
        category = rng.choice(catalog.categories)
        await reports.report(
            DEMO_FIRST_USER + rng.randint(1, max(observer - DEMO_FIRST_USER, 1)),
            rng.choice(rows).id,
            category.code,
            category.severity.value,
            polls_open + timedelta(minutes=rng.randint(0, 13 * 60)),
            rng.choice(_DESCRIPTIONS),
            [],
            None,
        )

    signatures_store = SignatureRepository(session)
    await signatures_store.ensure_counters(petition.slug for petition in petitions)
    signing = SignatureService(signatures_store, cipher)
    signed = 0
    for index in range(signatures):
        petition = petitions[index % len(petitions)]
        today = max(petition.opens, date.today())
        if petition.closes is not None:
            today = min(today, petition.closes)
        name = f"{rng.choice(_SURNAMES)} {rng.choice(_GIVEN)}"
        region = rng.choice(REGIONS)
        phone = signing.phone_hash(f"+7700{index:07d}") if petition.phone_verification else None
        await signing.sign(
            petition, DEMO_FIRST_USER + 100_000 + index, name, region, today, phone_hash=phone
        )
        signed += 1
    await session.flush()
    return DemoSummary(len(rows), submitted, flagged, conflicts, incidents, signed)
