"""/forget: everything the bot holds about a person, erased or unlinked in one transaction.

What stays is what the election's record needs and no longer names anyone: a withdrawn
signature's dates, a protocol's figures and photos, an incident's category, precinct and time.
"""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import (
    FsmStateRow,
    InviteCodeRow,
    OutgoingMessageRow,
    ProtocolRow,
    UserRow,
)
from services.incidents import IncidentService
from services.observers import ObserverService
from services.personal_data import PersonalDataCipher
from services.signatures import SignatureService
from storage.database import checkpoint_wal
from storage.observers import ObserverRepository
from storage.petitions import SignatureRepository


async def forget_person(
    session: AsyncSession, cipher: PersonalDataCipher, telegram_id: int
) -> None:
    await SignatureService(SignatureRepository(session), cipher).forget(telegram_id)
    await ObserverService(ObserverRepository(session), cipher).forget(telegram_id)
    await IncidentService(session, cipher).forget_observer(telegram_id)
    # Protocols keep their figures and photos (the record of the election), not who sent them nor
    # their words.
    await session.execute(
        update(ProtocolRow)
        .where(ProtocolRow.observer_id == telegram_id)
        .values(observer_id=None, reason_encrypted=None)
    )
    await session.execute(
        update(InviteCodeRow).where(InviteCodeRow.used_by == telegram_id).values(used_by=None)
    )
    # Messages to them, and alerts that quoted them, not sent yet.
    await session.execute(
        delete(OutgoingMessageRow).where(OutgoingMessageRow.chat_id == telegram_id)
    )
    # Dialog state of every chat and destiny of theirs (keys: fsm:<bot>:<chat>:<user>:…).
    segment = f"%:{telegram_id}:%"
    await session.execute(delete(FsmStateRow).where(FsmStateRow.key.like(segment)))
    row = await session.get(UserRow, telegram_id)
    if row is not None:
        await session.delete(row)
    await session.flush()


class PrivacyService:
    """/forget for one update: what a person gave, erased."""

    def __init__(self, session: AsyncSession, cipher: PersonalDataCipher) -> None:
        self.session = session
        self.cipher = cipher

    async def forget(self, telegram_id: int) -> None:
        """Erased and committed; on SQLite also written out of the write-ahead log, where the
        erased rows' old pages would otherwise linger until a checkpoint."""
        await forget_person(self.session, self.cipher, telegram_id)
        await checkpoint_wal(self.session)
