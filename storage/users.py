"""Users table access."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import UserRow
from models.user import Role, User


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, telegram_id: int) -> User | None:
        row = await self.session.get(UserRow, telegram_id)
        return User.model_validate(row) if row else None

    async def get_or_create(self, telegram_id: int) -> tuple[User, bool]:
        row = await self.session.get(UserRow, telegram_id)
        if row is not None:
            return User.model_validate(row), False
        row = UserRow(telegram_id=telegram_id, role=Role.MEMBER.value)
        self.session.add(row)
        await self.session.flush()
        return User.model_validate(row), True

    async def set_language(self, telegram_id: int, language: str) -> User:
        row = await self._require(telegram_id)
        row.language = language
        await self.session.flush()
        return User.model_validate(row)

    async def set_pending_deep_link(self, telegram_id: int, payload: str | None) -> None:
        row = await self._require(telegram_id)
        row.pending_deep_link = payload
        await self.session.flush()

    async def set_role(self, telegram_id: int, role: Role) -> None:
        row = await self.session.get(UserRow, telegram_id)
        if row is not None:
            row.role = role.value
            await self.session.flush()

    async def delete(self, telegram_id: int) -> None:
        row = await self.session.get(UserRow, telegram_id)
        if row is not None:
            await self.session.delete(row)
            await self.session.flush()

    async def count_by_language(self) -> dict[str | None, int]:
        result = await self.session.execute(
            select(UserRow.language, func.count()).group_by(UserRow.language)
        )
        return {language: count for language, count in result.all()}

    async def count_by_role(self) -> dict[str, int]:
        result = await self.session.execute(
            select(UserRow.role, func.count()).group_by(UserRow.role)
        )
        return {role: count for role, count in result.all()}

    async def _require(self, telegram_id: int) -> UserRow:
        row = await self.session.get(UserRow, telegram_id)
        if row is None:
            raise LookupError(f"user {telegram_id} does not exist")
        return row
