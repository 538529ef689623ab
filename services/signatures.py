"""Signing petitions: names, signatures, withdrawals, counts, a user's own data."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from enum import StrEnum

from models.petition import Petition, Signature, SignatureStatus
from models.tables import PetitionSignatureRow, as_utc, utc_now
from services.personal_data import PersonalDataCipher, normalize_phone
from services.regions import REGIONS
from storage.petitions import SignatureRepository

MAX_NAME_LENGTH = 100
_LINK = re.compile(r"(https?:|www\.|t\.me/|@\w|\.(kz|com|ru|org|net|me)\b)", re.IGNORECASE)
# Letters of any script, spaces, hyphens and apostrophes (O'Brien, Қ, ʼ).
_NAME = re.compile(r"^[^\W\d_]+(?:[ \-'’ʼ]{1,3}[^\W\d_]+)*$")
# What spreadsheet programs treat as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@")


class NameProblem(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too-long"
    LINK = "link"
    FORMULA = "formula"
    CHARACTERS = "characters"


class NameRejected(ValueError):
    def __init__(self, problem: NameProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def clean_signer_name(raw: str) -> str:
    """The name as it will be counted, or NameRejected saying what is wrong with it."""
    name = " ".join(raw.split())
    if not name:
        raise NameRejected(NameProblem.EMPTY)
    if _LINK.search(name):
        raise NameRejected(NameProblem.LINK)
    if name.startswith(FORMULA_STARTS):
        raise NameRejected(NameProblem.FORMULA)
    if len(name) > MAX_NAME_LENGTH:
        raise NameRejected(NameProblem.TOO_LONG)
    if not _NAME.match(name):
        raise NameRejected(NameProblem.CHARACTERS)
    return name


class SignOutcome(StrEnum):
    SIGNED = "signed"
    ALREADY_SIGNED = "already-signed"
    PHONE_TAKEN = "phone-taken"
    CLOSED = "closed"


@dataclass(frozen=True)
class SignResult:
    outcome: SignOutcome
    count: int
    signed_at: datetime | None = None


class SignatureService:
    def __init__(self, repository: SignatureRepository, cipher: PersonalDataCipher) -> None:
        self.repository = repository
        self.cipher = cipher

    def phone_hash(self, phone: str) -> str:
        return self.cipher.keyed_hash(normalize_phone(phone))

    async def current(self, slug: str, telegram_id: int) -> Signature | None:
        """The user's signature of this petition if it stands (not withdrawn)."""
        row = await self.repository.get(slug, telegram_id)
        if row is None or row.status != SignatureStatus.SIGNED.value:
            return None
        return self._signature(row)

    async def sign(
        self,
        petition: Petition,
        telegram_id: int,
        name: str,
        region: str,
        today: date,
        phone_hash: str | None = None,
        referred_by: str | None = None,
    ) -> SignResult:
        slug = petition.slug
        if not petition.is_open(today):
            return SignResult(SignOutcome.CLOSED, await self.count(slug))
        name = clean_signer_name(name)  # the handler checked it; the store checks again
        if region not in REGIONS:
            raise ValueError(f"unknown region {region!r}")
        if petition.phone_verification and phone_hash is None:
            raise ValueError("this petition needs a verified phone")
        row = await self.repository.get(slug, telegram_id)
        if row is not None and row.status == SignatureStatus.SIGNED.value:
            return SignResult(SignOutcome.ALREADY_SIGNED, await self.count(slug), row.signed_at)
        if phone_hash and await self.repository.phone_signed_by_other(
            slug, phone_hash, telegram_id
        ):
            return SignResult(SignOutcome.PHONE_TAKEN, await self.count(slug))
        if referred_by and not await self.repository.referral_code_exists(referred_by):
            referred_by = None
        own_code = await self.repository.referral_code(telegram_id)
        if referred_by == own_code:
            referred_by = None
        if row is None:
            row = PetitionSignatureRow(petition_slug=slug, telegram_id=telegram_id)
            self.repository.add(row)
        row.status = SignatureStatus.SIGNED.value
        row.name_encrypted = self.cipher.encrypt(name)
        row.region = region
        row.phone_hash = phone_hash
        row.referred_by = referred_by
        row.signed_at = utc_now()
        await self.repository.session.flush()
        count = await self.repository.change_count(slug, +1)
        return SignResult(SignOutcome.SIGNED, count, row.signed_at)

    async def withdraw(self, slug: str, telegram_id: int) -> int | None:
        """Removes the signature from the count and erases its personal fields; the row stays
        as withdrawn for the audit trail. None if there was nothing to withdraw."""
        row = await self.repository.get(slug, telegram_id)
        if row is None or row.status != SignatureStatus.SIGNED.value:
            return None
        _erase(row)
        await self.repository.session.flush()
        return await self.repository.change_count(slug, -1)

    async def forget(self, telegram_id: int) -> int:
        """/forget: withdraws every signature and unlinks them from the person."""
        rows = await self.repository.for_signer(telegram_id)
        for row in rows:
            if row.status == SignatureStatus.SIGNED.value:
                _erase(row)
                await self.repository.session.flush()
                await self.repository.change_count(row.petition_slug, -1)
            row.telegram_id = None
        await self.repository.forget_referral_code(telegram_id)
        await self.repository.session.flush()
        return len(rows)

    async def mine(self, telegram_id: int) -> list[Signature]:
        return [self._signature(row) for row in await self.repository.for_signer(telegram_id)]

    async def count(self, slug: str) -> int:
        return (await self.repository.counts([slug])).get(slug, 0)

    async def counts(self, slugs: list[str]) -> dict[str, int]:
        return await self.repository.counts(slugs)

    async def referral_code(self, telegram_id: int) -> str:
        return await self.repository.referral_code(telegram_id)

    async def reconcile(self) -> dict[str, tuple[int, int]]:
        """Sets every counter to the true count; returns {slug: (counter, true)} where they
        differed."""
        counters = await self.repository.counts()
        true = await self.repository.true_counts()
        drift = {}
        for slug, counted in counters.items():
            actual = true.get(slug, 0)
            if counted != actual:
                drift[slug] = (counted, actual)
            await self.repository.set_count(slug, actual)
        return drift

    def _signature(self, row: PetitionSignatureRow) -> Signature:
        return Signature(
            petition_slug=row.petition_slug,
            status=SignatureStatus(row.status),
            name=self.cipher.decrypt(row.name_encrypted) if row.name_encrypted else None,
            region=row.region,
            phone_verified=row.phone_hash is not None,
            signed_at=row.signed_at,
            withdrawn_at=row.withdrawn_at,
        )


def _erase(row: PetitionSignatureRow) -> None:
    row.status = SignatureStatus.WITHDRAWN.value
    row.name_encrypted = None
    row.phone_hash = None
    row.region = None
    row.withdrawn_at = utc_now()


@dataclass(frozen=True)
class PetitionStats:
    """Aggregates for coordinators: no personal data."""

    total: int
    by_region: dict[str, int]
    by_day: dict[date, int]
    by_referral: dict[str, int]


async def petition_stats(repository: SignatureRepository, slug: str, zone: tzinfo) -> PetitionStats:
    by_region = {
        region or "": count for region, count in (await repository.count_by_region(slug)).items()
    }
    times = await repository.signing_times(slug)
    by_day = Counter(as_utc(moment).astimezone(zone).date() for moment in times)
    return PetitionStats(
        total=sum(by_region.values()),
        by_region=dict(sorted(by_region.items(), key=lambda item: -item[1])),
        by_day=dict(sorted(by_day.items())),
        by_referral=await repository.count_by_referral(slug),
    )
