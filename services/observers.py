"""Observer registration: invite codes, requests, coordinators' decisions, and forgetting."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from models.observer import Observer, ObserverStatus, PrecinctRef
from models.tables import AuditLogRow, InviteCodeRow, ObserverRow, PrecinctRow, as_utc, utc_now
from models.user import Role
from services.outgoing import CoordinatorAlerts
from services.personal_data import PersonalDataCipher
from storage.observers import ObserverRepository
from storage.users import UserRepository

# No 0/O, 1/I/L: codes are read aloud and typed on phones.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class InviteProblem(StrEnum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    # Found only at submission: the request then goes to the coordinators instead.
    WRONG_REGION = "wrong-region"


def normalize_code(typed: str) -> str:
    return "".join(typed.split()).upper().replace("-", "")


@dataclass(frozen=True)
class Registration:
    name: str
    phone: str
    precinct_ids: list[int]
    invite_code: str | None


def _problem(row: InviteCodeRow | None, now: datetime) -> InviteProblem | None:
    if row is None:
        return InviteProblem.UNKNOWN
    if row.used_by is not None:
        return InviteProblem.USED
    if as_utc(row.expires_at) < now:
        return InviteProblem.EXPIRED
    return None


class ObserverService:
    def __init__(self, repository: ObserverRepository, cipher: PersonalDataCipher) -> None:
        self.users = UserRepository(repository.session)
        self.repository = repository
        self.cipher = cipher

    async def create_invites(self, count: int, region: str | None, days: int) -> list[str]:
        expires = utc_now() + timedelta(days=days)
        codes = []
        for _ in range(count):
            code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))
            self.repository.add_invite(InviteCodeRow(code=code, region=region, expires_at=expires))
            codes.append(code)
        await self.repository.session.flush()
        return codes

    async def invite_problem(self, code: str, now: datetime | None = None) -> InviteProblem | None:
        return _problem(await self.repository.invite(normalize_code(code)), now or utc_now())

    async def invite_region(self, code: str | None) -> str | None:
        """The region a valid invite is bound to: the registration does not ask for it."""
        row = await self.repository.invite(normalize_code(code)) if code else None
        return row.region if row is not None and _problem(row, utc_now()) is None else None

    async def status(self, telegram_id: int) -> ObserverStatus | None:
        row = await self.repository.get(telegram_id)
        return ObserverStatus(row.status) if row else None

    async def register(self, telegram_id: int, registration: Registration) -> ObserverStatus:
        """Approved at once with a valid invite whose region (if any) covers every precinct;
        otherwise pending a coordinator's decision. The user's role follows."""
        status = ObserverStatus.PENDING
        invite = None
        if registration.invite_code:
            invite = await self.repository.invite(normalize_code(registration.invite_code))
            problem = await self.invite_problem(registration.invite_code)
            if invite is not None and problem is None and invite.region:
                precincts = [
                    await self.repository.session.get(PrecinctRow, pid)
                    for pid in registration.precinct_ids
                ]
                if any(p is None or p.region != invite.region for p in precincts):
                    problem = InviteProblem.WRONG_REGION
            if problem is None and invite is not None:
                status = ObserverStatus.APPROVED
                invite.used_by = telegram_id
                invite.used_at = utc_now()
        row = await self.repository.get(telegram_id) or ObserverRow(telegram_id=telegram_id)
        row.status = status.value
        row.name_encrypted = self.cipher.encrypt(registration.name)
        row.phone_encrypted = self.cipher.encrypt(registration.phone)
        row.invite_code = invite.code if status is ObserverStatus.APPROVED and invite else None
        row.requested_at = utc_now()
        row.decided_at = utc_now() if status is ObserverStatus.APPROVED else None
        row.decided_by = None
        await self.repository.save(row, registration.precinct_ids)
        approved = status is ObserverStatus.APPROVED
        await self.users.set_role(telegram_id, Role.OBSERVER if approved else Role.OBSERVER_PENDING)
        return status

    async def ask_coordinators(
        self,
        telegram_id: int,
        coordinator_alerts: CoordinatorAlerts,
        text: str,
        reply_markup: dict[str, object] | None,
    ) -> None:
        """A pending request goes to the coordinators with the observer's name and phone; that
        they saw them is on the record, in the same transaction as the alert."""
        reached = await coordinator_alerts.queue(text, reply_markup)
        self.repository.session.add(
            AuditLogRow(
                actor="bot",
                action="observer-request-to-coordinators",
                detail={"observer": telegram_id, "to": reached},
            )
        )

    async def decide(
        self, telegram_id: int, approve: bool, coordinator_id: int
    ) -> ObserverStatus | None:
        """A coordinator's Approve/Reject of a pending request; None if there is none to decide."""
        row = await self.repository.get(telegram_id)
        if row is None or row.status != ObserverStatus.PENDING.value:
            return None
        row.status = (ObserverStatus.APPROVED if approve else ObserverStatus.REJECTED).value
        row.decided_at = utc_now()
        row.decided_by = coordinator_id
        await self.users.set_role(telegram_id, Role.OBSERVER if approve else Role.MEMBER)
        self.repository.session.add(
            AuditLogRow(
                actor=str(coordinator_id),
                action="observer-decision",
                detail={"observer": telegram_id, "approved": approve},
            )
        )
        await self.repository.session.flush()
        return ObserverStatus(row.status)

    async def observer(self, telegram_id: int) -> Observer | None:
        row = await self.repository.get(telegram_id)
        if row is None:
            return None
        precincts = tuple(
            PrecinctRef(
                id=p.id,
                region=p.region,
                number=p.number,
                address_kk=p.address_kk,
                address_ru=p.address_ru,
            )
            for p in await self.repository.precincts(telegram_id)
        )
        return Observer(
            telegram_id=telegram_id,
            status=ObserverStatus(row.status),
            name=self.cipher.decrypt(row.name_encrypted),
            phone=self.cipher.decrypt(row.phone_encrypted),
            precincts=precincts,
            requested_at=row.requested_at,
            invited=row.invite_code is not None,
        )

    async def forget(self, telegram_id: int) -> bool:
        return await self.repository.delete(telegram_id)
