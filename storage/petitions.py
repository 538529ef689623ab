"""Petition signatures, their counters, referral codes."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.petition import SignatureStatus
from models.tables import PetitionCounterRow, PetitionSignatureRow, ReferralCodeRow, utc_now

_CODE_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class SignatureRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, slug: str, telegram_id: int) -> PetitionSignatureRow | None:
        result = await self.session.execute(
            select(PetitionSignatureRow).where(
                PetitionSignatureRow.petition_slug == slug,
                PetitionSignatureRow.telegram_id == telegram_id,
            )
        )
        return result.scalar_one_or_none()

    async def phone_signed_by_other(self, slug: str, phone_hash: str, telegram_id: int) -> bool:
        result = await self.session.execute(
            select(PetitionSignatureRow.id).where(
                PetitionSignatureRow.petition_slug == slug,
                PetitionSignatureRow.phone_hash == phone_hash,
                PetitionSignatureRow.telegram_id.is_distinct_from(telegram_id),
            )
        )
        return result.first() is not None

    def add(self, row: PetitionSignatureRow) -> None:
        self.session.add(row)

    async def for_signer(self, telegram_id: int) -> list[PetitionSignatureRow]:
        result = await self.session.execute(
            select(PetitionSignatureRow)
            .where(PetitionSignatureRow.telegram_id == telegram_id)
            .order_by(PetitionSignatureRow.signed_at)
        )
        return list(result.scalars())

    async def signed(self, slug: str) -> list[PetitionSignatureRow]:
        result = await self.session.execute(
            select(PetitionSignatureRow)
            .where(
                PetitionSignatureRow.petition_slug == slug,
                PetitionSignatureRow.status == SignatureStatus.SIGNED.value,
            )
            .order_by(PetitionSignatureRow.signed_at, PetitionSignatureRow.id)
        )
        return list(result.scalars())

    # --- counters ---------------------------------------------------------------------------

    async def ensure_counters(self, slugs: Iterable[str]) -> None:
        existing = set(
            (await self.session.execute(select(PetitionCounterRow.petition_slug))).scalars()
        )
        for slug in slugs:
            if slug not in existing:
                self.session.add(PetitionCounterRow(petition_slug=slug, signed_count=0))
        await self.session.flush()

    async def change_count(self, slug: str, delta: int) -> int:
        # One atomic UPDATE: concurrent signatures on PostgreSQL cannot lose an increment.
        result = await self.session.execute(
            update(PetitionCounterRow)
            .where(PetitionCounterRow.petition_slug == slug)
            .values(signed_count=PetitionCounterRow.signed_count + delta)
            .returning(PetitionCounterRow.signed_count)
        )
        count = result.scalar_one_or_none()
        if count is None:
            raise LookupError(f"no counter for petition {slug!r}; was it loaded at start-up?")
        return count

    async def counts(self, slugs: Iterable[str] | None = None) -> dict[str, int]:
        query = select(PetitionCounterRow.petition_slug, PetitionCounterRow.signed_count)
        if slugs is not None:
            query = query.where(PetitionCounterRow.petition_slug.in_(list(slugs)))
        return {slug: count for slug, count in (await self.session.execute(query)).all()}

    async def true_counts(self) -> dict[str, int]:
        result = await self.session.execute(
            select(PetitionSignatureRow.petition_slug, func.count())
            .where(PetitionSignatureRow.status == SignatureStatus.SIGNED.value)
            .group_by(PetitionSignatureRow.petition_slug)
        )
        return {slug: count for slug, count in result.all()}

    async def set_count(self, slug: str, count: int) -> None:
        await self.session.execute(
            update(PetitionCounterRow)
            .where(PetitionCounterRow.petition_slug == slug)
            .values(signed_count=count, reconciled_at=utc_now())
        )

    # --- aggregates (no personal data) ------------------------------------------------------

    async def count_by_region(self, slug: str) -> dict[str | None, int]:
        result = await self.session.execute(
            select(PetitionSignatureRow.region, func.count())
            .where(
                PetitionSignatureRow.petition_slug == slug,
                PetitionSignatureRow.status == SignatureStatus.SIGNED.value,
            )
            .group_by(PetitionSignatureRow.region)
        )
        return dict(result.all())

    async def signing_times(self, slug: str) -> list[datetime]:
        """When each current signature was made; the caller buckets them by local day."""
        result = await self.session.execute(
            select(PetitionSignatureRow.signed_at).where(
                PetitionSignatureRow.petition_slug == slug,
                PetitionSignatureRow.status == SignatureStatus.SIGNED.value,
            )
        )
        return list(result.scalars())

    async def count_by_referral(self, slug: str) -> dict[str, int]:
        result = await self.session.execute(
            select(PetitionSignatureRow.referred_by, func.count())
            .where(
                PetitionSignatureRow.petition_slug == slug,
                PetitionSignatureRow.status == SignatureStatus.SIGNED.value,
                PetitionSignatureRow.referred_by.is_not(None),
            )
            .group_by(PetitionSignatureRow.referred_by)
            .order_by(func.count().desc())
        )
        return dict(result.all())

    # --- referral codes ---------------------------------------------------------------------

    async def referral_code(self, telegram_id: int) -> str:
        row = await self.session.get(ReferralCodeRow, telegram_id)
        if row is None:
            row = ReferralCodeRow(telegram_id=telegram_id, code=_new_code())
            self.session.add(row)
            await self.session.flush()
        return row.code

    async def referral_code_exists(self, code: str) -> bool:
        result = await self.session.execute(
            select(ReferralCodeRow.code).where(ReferralCodeRow.code == code)
        )
        return result.first() is not None

    async def forget_referral_code(self, telegram_id: int) -> None:
        row = await self.session.get(ReferralCodeRow, telegram_id)
        if row is not None:
            await self.session.delete(row)


def _new_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
