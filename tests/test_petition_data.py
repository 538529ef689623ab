"""Petition files, the validator, names, and the signing service on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import os
import stat
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from models.tables import AuditLogRow, PetitionSignatureRow
from runtime.i18n import build_core
from services.exports import export_signatures, spreadsheet_safe
from services.personal_data import PersonalDataCipher, normalize_phone
from services.petition_catalog import check_directory, load_catalog
from services.signatures import (
    NameProblem,
    NameRejected,
    SignatureService,
    SignOutcome,
    clean_signer_name,
)
from settings import LOCALES, PROJECT_ROOT
from storage.database import create_sessionmaker
from storage.petitions import SignatureRepository
from storage.unit_of_work import unit_of_work
from tests.conftest import TEST_ENCRYPTION_KEY

CATALOG = load_catalog(PROJECT_ROOT / "petitions")
TODAY = date(2026, 11, 23)
ZONE = ZoneInfo("Asia/Almaty")


def translate(message_id: str, locale: str, **arguments: object) -> str:
    return build_core().get(message_id, locale, **arguments)


def test_shipped_petitions() -> None:
    assert list(CATALOG) == ["petition-2021", "position-2021"]
    assert CATALOG["petition-2021"].demand_count == 8
    assert CATALOG["position-2021"].demand_count == 5
    assert CATALOG["position-2021"].ru.translated_from == "kk"
    assert (
        CATALOG["petition-2021"].ru.demands[4]
        == "Внести в избирательный бюллетень пункт «Против всех»;"
    )
    assert check_directory(PROJECT_ROOT / "petitions", translate, LOCALES) == []


# The misspelt words the file's header lists as fixed: nothing else may differ from the source.
LISTED_FIXES = {
    "тайну голосования": "тайны голосования",
    "проведения каких либо": "проведение каких-либо",
}
SOURCES = PROJECT_ROOT / "petitions" / "sources"


def test_russian_petition_is_shown_as_the_movement_wrote_it() -> None:
    source = (SOURCES / "petition-2021.ru.txt").read_text(encoding="utf-8")
    source = source.replace("**", "").replace("  \n", "\n")
    for wrong, right in LISTED_FIXES.items():
        assert wrong in source
        source = source.replace(wrong, right)
    petition = CATALOG["petition-2021"].ru
    for demand in petition.demands:
        assert demand in source, f"not in the source as written: {demand[:60]}"
    for paragraph in (petition.preamble + "\n" + petition.closing).split("\n"):
        assert paragraph.strip() in source, f"not in the source as written: {paragraph[:60]}"


def write(directory: Path, name: str, text: str) -> None:
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(text, encoding="utf-8")


BASE = (PROJECT_ROOT / "petitions" / "position-2021.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda t: t.replace('    "Тәуелсіз exit poll жүргізуге рұқсат беру.",\n', ""),
            "kk has 4 demands and ru has 5",
        ),
        (
            lambda t: t.replace('title = "Позиция гражданского движения «HAQ»"', 'title = "  "'),
            "ru.title: Value error, must not be empty",
        ),
        (lambda t: t.replace('slug = "position-2021"', 'slug = "Position 2021"'), "slug"),
        (
            lambda t: t.replace('slug = "position-2021"', 'slug = "position-r2021x"').replace(
                "", ""
            ),
            "slug",
        ),
        (
            lambda t: t.replace(
                '    "Тәуелсіз exit poll жүргізуге рұқсат беру.",', '    "' + "ы" * 4100 + '",'
            ),
            "the kk demand 3 screen is",
        ),
        (lambda t: t.replace("goal = 5000", "goal = 0"), "goal"),
    ],
)
def test_validator_refuses_bad_files(tmp_path: Path, change, problem: str) -> None:
    text = change(BASE)
    slug = text.split('slug = "')[1].split('"')[0]
    write(tmp_path, f"{slug}.toml", text)
    problems = check_directory(tmp_path, translate, LOCALES)
    assert problems and any(problem in line for line in problems), problems


def test_cli_check_reports_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import bot

    write(tmp_path, "position-2021.toml", BASE.replace("goal = 5000", "goal = -1"))
    assert bot.main(["petitions", "check", "--directory", str(tmp_path)]) == 1
    assert "goal" in capsys.readouterr().out
    assert bot.main(["petitions", "check"]) == 0
    assert "2 petition(s)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Айгерим   Нұрланқызы ", "Айгерим Нұрланқызы"),
        ("O'Brien", "O'Brien"),
        ("Анна-Мария", "Анна-Мария"),
        ("Ы", "Ы"),
    ],
)
def test_good_names(raw: str, clean: str) -> None:
    assert clean_signer_name(raw) == clean


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("   ", NameProblem.EMPTY),
        ("x" * 101, NameProblem.TOO_LONG),
        ("www.site", NameProblem.LINK),
        ("=1+1", NameProblem.FORMULA),
        ("+7", NameProblem.FORMULA),
        ("Name1", NameProblem.CHARACTERS),
        ("Имя_Фамилия", NameProblem.CHARACTERS),
        ("Имя-", NameProblem.CHARACTERS),
    ],
)
def test_bad_names(raw: str, problem: NameProblem) -> None:
    with pytest.raises(NameRejected) as rejected:
        clean_signer_name(raw)
    assert rejected.value.problem is problem


def test_phone_hash_is_keyed_and_normalised() -> None:
    cipher = PersonalDataCipher(TEST_ENCRYPTION_KEY)
    assert normalize_phone("+7 (701) 123-45-67") == normalize_phone("87011234567") == "77011234567"
    assert cipher.keyed_hash("77011234567") != PersonalDataCipher(
        PersonalDataCipher.generate_key()
    ).keyed_hash("77011234567")
    assert "7701" not in cipher.keyed_hash("77011234567")


async def sign(
    service: SignatureService, user: int, name: str, region: str = "astana", **kwargs
) -> SignOutcome:
    return (
        await service.sign(CATALOG["petition-2021"], user, name, region, TODAY, **kwargs)
    ).outcome


async def test_signing_counts_and_withdrawal(engine: AsyncEngine) -> None:
    sessionmaker = create_sessionmaker(engine)
    cipher = PersonalDataCipher(TEST_ENCRYPTION_KEY)
    async with unit_of_work(sessionmaker) as unit:
        repository = SignatureRepository(unit.session)
        await repository.ensure_counters(CATALOG)
        service = SignatureService(repository, cipher)
        assert await sign(service, 1, "Бірінші") is SignOutcome.SIGNED
        assert await sign(service, 1, "Бірінші") is SignOutcome.ALREADY_SIGNED
        code = await service.referral_code(1)
        assert await sign(service, 2, "Екінші", referred_by=code) is SignOutcome.SIGNED
        assert await sign(service, 3, "Үшінші", referred_by="forged") is SignOutcome.SIGNED
        assert await service.count("petition-2021") == 3
        assert await service.withdraw("petition-2021", 2) == 2
        assert await service.withdraw("petition-2021", 2) is None
        assert await sign(service, 2, "Екінші қайта") is SignOutcome.SIGNED
        assert await service.count("petition-2021") == 3
        assert await repository.count_by_referral("petition-2021") == {}, (
            "re-signing without the link drops it"
        )
        mine = await service.mine(2)
        assert [s.name for s in mine] == ["Екінші қайта"]


async def test_one_signature_per_phone(engine: AsyncEngine) -> None:
    sessionmaker = create_sessionmaker(engine)
    async with unit_of_work(sessionmaker) as unit:
        repository = SignatureRepository(unit.session)
        await repository.ensure_counters(CATALOG)
        service = SignatureService(repository, PersonalDataCipher(TEST_ENCRYPTION_KEY))
        phone = service.phone_hash("+77011234567")
        assert await sign(service, 1, "Бір", phone_hash=phone) is SignOutcome.SIGNED
        assert (
            await sign(service, 2, "Екі", phone_hash=service.phone_hash("8 701 123 45 67"))
            is SignOutcome.PHONE_TAKEN
        )
        await service.withdraw("petition-2021", 1)
        assert await sign(service, 2, "Екі", phone_hash=phone) is SignOutcome.SIGNED, (
            "freed by the withdrawal"
        )


async def test_forget_unlinks_everything(engine: AsyncEngine) -> None:
    sessionmaker = create_sessionmaker(engine)
    async with unit_of_work(sessionmaker) as unit:
        repository = SignatureRepository(unit.session)
        await repository.ensure_counters(CATALOG)
        service = SignatureService(repository, PersonalDataCipher(TEST_ENCRYPTION_KEY))
        await sign(service, 5, "Ұмыт")
        await service.forget(5)
        assert await service.mine(5) == []
        assert await service.count("petition-2021") == 0
        rows = (await unit.session.execute(select(PetitionSignatureRow))).scalars().all()
        assert [(r.telegram_id, r.name_encrypted, r.status) for r in rows] == [
            (None, None, "withdrawn")
        ]


async def test_reconcile_repairs_a_drifted_counter(engine: AsyncEngine) -> None:
    from runtime.scheduler import reconcile_petition_counters

    sessionmaker = create_sessionmaker(engine)
    cipher = PersonalDataCipher(TEST_ENCRYPTION_KEY)
    async with unit_of_work(sessionmaker) as unit:
        repository = SignatureRepository(unit.session)
        await repository.ensure_counters(CATALOG)
        await sign(SignatureService(repository, cipher), 1, "Бір")
        await repository.set_count("petition-2021", 40)
    assert await reconcile_petition_counters(sessionmaker, cipher) == {"petition-2021": (40, 1)}
    assert await reconcile_petition_counters(sessionmaker, cipher) == {}


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
async def test_export_has_exactly_the_standing_signatures_and_no_formulas(
    engine: AsyncEngine, tmp_path: Path, export_format: str
) -> None:
    sessionmaker = create_sessionmaker(engine)
    cipher = PersonalDataCipher(TEST_ENCRYPTION_KEY)
    async with unit_of_work(sessionmaker) as unit:
        repository = SignatureRepository(unit.session)
        await repository.ensure_counters(CATALOG)
        service = SignatureService(repository, cipher)
        for user, name in [(1, "Айгерим"), (2, "Марат"), (3, "Дана")]:
            await sign(service, user, name)
        await service.withdraw("petition-2021", 2)
        # A name that slipped past validation (an older version, a manual fix) is still defused.
        row = await repository.get("petition-2021", 3)
        assert row is not None
        row.name_encrypted = cipher.encrypt('=HYPERLINK("http://evil","x")')
        path = tmp_path / f"out.{export_format}"
        result = await export_signatures(
            repository, cipher, "petition-2021", export_format, path, "test", ZONE
        )  # type: ignore[arg-type]
    assert result.rows == 2
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    if export_format == "csv":
        table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    else:
        sheet = load_workbook(path).active
        table = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]  # type: ignore[union-attr]
    names = [row[1] for row in table[1:]]
    assert names == ["Айгерим", '\'=HYPERLINK("http://evil","x")'], "withdrawn Марат is not there"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in table for cell in row)
    async with sessionmaker() as session:
        audit = (await session.execute(select(AuditLogRow))).scalars().all()
    assert [(entry.action, entry.detail["rows"]) for entry in audit] == [("export-signatures", 2)]


def test_spreadsheet_safe() -> None:
    assert spreadsheet_safe("=1") == "'=1" and spreadsheet_safe("\t=1") == "'\t=1"
    assert spreadsheet_safe("Айгерим") == "Айгерим"


def test_cli_export_and_stats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import bot

    monkeypatch.setenv("HAQBOT_DATABASE__URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("HAQBOT_SECURITY__ENCRYPTION_KEY", TEST_ENCRYPTION_KEY)
    output = tmp_path / "signatures.xlsx"
    assert (
        bot.main(
            [
                "export",
                "signatures",
                "--petition",
                "petition-2021",
                "--format",
                "xlsx",
                "--output",
                str(output),
            ]
        )
        == 0
    )
    assert "0 signature(s) written" in capsys.readouterr().out and output.exists()
    assert bot.main(["export", "petition-stats", "--petition", "petition-2021", "--json"]) == 0
    assert '"total": 0' in capsys.readouterr().out
    assert bot.main(["export", "signatures", "--petition", "nope"]) == 1
    assert "no petition 'nope'" in capsys.readouterr().err
