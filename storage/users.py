"""Users table access."""

from __future__ import annotations

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import UserRow
from models.user import Role, User
from storage.inline_sqlite import PreparedStatement
from storage.unit_of_work import SessionStatements

_USERS = UserRow.__table__
# Every update reads its user: a prepared statement (bench/README.md, tenth and eleventh
# sessions). A user is created once, through SQLAlchemy.
_READ = PreparedStatement(select(_USERS).where(_USERS.c.telegram_id == bindparam("telegram_id")))
_CREATE = insert(_USERS).returning(*_USERS.c)


class UserRepository:
    def __init__(self, session: AsyncSession, statements: SessionStatements | None = None) -> None:
        self.session = session
        self.statements = statements or SessionStatements(session)

    async def get(self, telegram_id: int) -> User | None:
        row = await self.session.get(UserRow, telegram_id)
        return User.model_validate(row) if row else None

    async def get_or_create(self, telegram_id: int) -> tuple[User, bool]:
        """The user, recorded first if new. Without the ORM (this runs on every update), so
        the first thing an update does with its session, before any unflushed ORM change."""
        found = await self.statements.first(_READ, telegram_id=telegram_id)
        if found is not None:
            return User.model_validate(found), False
        # The table's own defaults (role, times), as the row holds them.
        connection = await self.session.connection()
        row = (await connection.execute(_CREATE, {"telegram_id": telegram_id})).one()
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
