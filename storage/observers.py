"""Observers, their precincts, invite codes."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import InviteCodeRow, ObserverPrecinctRow, ObserverRow, PrecinctRow


class ObserverRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, telegram_id: int) -> ObserverRow | None:
        return await self.session.get(ObserverRow, telegram_id)

    async def precincts(self, telegram_id: int) -> list[PrecinctRow]:
        result = await self.session.execute(
            select(PrecinctRow)
            .join(ObserverPrecinctRow, ObserverPrecinctRow.precinct_id == PrecinctRow.id)
            .where(ObserverPrecinctRow.telegram_id == telegram_id)
            .order_by(PrecinctRow.region, PrecinctRow.number)
        )
        return list(result.scalars())

    async def save(self, row: ObserverRow, precinct_ids: list[int]) -> None:
        self.session.add(row)
        await self.session.flush()
        await self.session.execute(
            delete(ObserverPrecinctRow).where(ObserverPrecinctRow.telegram_id == row.telegram_id)
        )
        for precinct_id in sorted(set(precinct_ids)):
            self.session.add(
                ObserverPrecinctRow(telegram_id=row.telegram_id, precinct_id=precinct_id)
            )
        await self.session.flush()

    async def delete(self, telegram_id: int) -> bool:
        row = await self.get(telegram_id)
        if row is None:
            return False
        await self.session.execute(
            delete(ObserverPrecinctRow).where(ObserverPrecinctRow.telegram_id == telegram_id)
        )
        await self.session.delete(row)
        await self.session.flush()
        return True

    async def invite(self, code: str) -> InviteCodeRow | None:
        return await self.session.get(InviteCodeRow, code)

    def add_invite(self, row: InviteCodeRow) -> None:
        self.session.add(row)
