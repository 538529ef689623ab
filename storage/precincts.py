"""Precinct directory access."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import PrecinctRow
from services.precincts import Precinct


class PrecinctRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert_all(self, precincts: list[Precinct]) -> tuple[int, int]:
        """Adds new precincts and updates known ones (same region and number): (added, updated)."""
        existing = {
            (row.region, row.number): row
            for row in (await self.session.execute(select(PrecinctRow))).scalars()
        }
        added = updated = 0
        for precinct in precincts:
            row = existing.get((precinct.region, precinct.number))
            if row is None:
                self.session.add(PrecinctRow(**precinct.model_dump()))
                added += 1
            else:
                for field, value in precinct.model_dump().items():
                    setattr(row, field, value)
                updated += 1
        await self.session.flush()
        return added, updated

    async def get(self, precinct_id: int) -> PrecinctRow | None:
        return await self.session.get(PrecinctRow, precinct_id)

    async def find(self, region: str, number: int) -> PrecinctRow | None:
        result = await self.session.execute(
            select(PrecinctRow).where(PrecinctRow.region == region, PrecinctRow.number == number)
        )
        return result.scalar_one_or_none()

    async def districts(self, region: str) -> list[tuple[str, str]]:
        """A region's districts in the directory, (Kazakh name, Russian name), in a stable
        order: the Russian name's, which the buttons' indices refer to."""
        result = await self.session.execute(
            select(PrecinctRow.district_kk, PrecinctRow.district_ru)
            .where(PrecinctRow.region == region)
            .distinct()
            .order_by(PrecinctRow.district_ru, PrecinctRow.district_kk)
        )
        return [(kk, ru) for kk, ru in result.all()]

    async def in_district(self, region: str, district_ru: str, limit: int) -> list[PrecinctRow]:
        """A district's precincts by number, at most `limit` (beyond that the number is typed)."""
        result = await self.session.execute(
            select(PrecinctRow)
            .where(PrecinctRow.region == region, PrecinctRow.district_ru == district_ru)
            .order_by(PrecinctRow.number)
            .limit(limit)
        )
        return list(result.scalars())

    async def count(self) -> int:
        return await self.session.scalar(select(func.count()).select_from(PrecinctRow)) or 0
