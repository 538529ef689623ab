"""register_observer and its decision as services, on SQLite and PostgreSQL, without Telegram:
the role follows the status, the coordinators' alert and the audit row are written in the
transaction that decided them, and vanish with it."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from models.observer import ObserverStatus
from models.tables import AuditLogRow, OutgoingMessageRow
from models.user import Role
from runtime.launcher import DEMO_PRECINCTS
from services.observers import ObserverService, Registration
from services.outgoing import CoordinatorAlerts
from services.personal_data import PersonalDataCipher
from services.precincts import parse_precincts_csv
from storage.database import create_sessionmaker
from storage.observers import ObserverRepository
from storage.precincts import PrecinctRepository
from storage.unit_of_work import unit_of_work
from storage.users import UserRepository
from tests.conftest import TEST_ENCRYPTION_KEY

OBSERVER = 501
COORDINATORS_CHAT = -100200


def _service(session: AsyncSession) -> ObserverService:
    return ObserverService(ObserverRepository(session), PersonalDataCipher(TEST_ENCRYPTION_KEY))


async def _precinct(session: AsyncSession) -> int:
    precincts, _ = parse_precincts_csv(DEMO_PRECINCTS.read_text(encoding="utf-8"))
    repository = PrecinctRepository(session)
    await repository.upsert_all(precincts)
    row = await repository.find("almaty_city", 101)
    assert row is not None
    return row.id


async def _registration(session: AsyncSession, code: str | None = None) -> Registration:
    return Registration("Аты Жөні", "+77011112233", [await _precinct(session)], code)


async def _audit(session: AsyncSession) -> list[tuple[str, str, dict]]:
    rows = (await session.execute(select(AuditLogRow).order_by(AuditLogRow.id))).scalars()
    return [(row.actor, row.action, row.detail) for row in rows]


async def test_an_invited_observer_is_an_observer_at_once(engine: AsyncEngine) -> None:
    sessionmaker = create_sessionmaker(engine)
    async with unit_of_work(sessionmaker) as unit:
        await UserRepository(unit.session).get_or_create(OBSERVER)
        service = _service(unit.session)
        [code] = await service.create_invites(1, None, days=1)
        registration = await _registration(unit.session, code)
        assert await service.register(OBSERVER, registration) is ObserverStatus.APPROVED
    async with unit_of_work(sessionmaker) as unit:
        user = await UserRepository(unit.session).get(OBSERVER)
        assert user is not None and user.role is Role.OBSERVER
        assert await _service(unit.session).invite_problem(code) is not None, "the code is spent"


async def test_a_request_reaches_the_coordinators_on_the_record(engine: AsyncEngine) -> None:
    sessionmaker = create_sessionmaker(engine)
    async with unit_of_work(sessionmaker) as unit:
        await UserRepository(unit.session).get_or_create(OBSERVER)
        service = _service(unit.session)
        status = await service.register(OBSERVER, await _registration(unit.session))
        assert status is ObserverStatus.PENDING
        queued: list[int] = []
        alerts = CoordinatorAlerts(unit.session, [COORDINATORS_CHAT], queued)
        await service.ask_coordinators(OBSERVER, alerts, "request", {"inline_keyboard": []})
        assert len(queued) == 1
    async with unit_of_work(sessionmaker) as unit:
        user = await UserRepository(unit.session).get(OBSERVER)
        assert user is not None and user.role is Role.OBSERVER_PENDING
        [alert] = (await unit.session.execute(select(OutgoingMessageRow))).scalars()
        assert (alert.id, alert.chat_id, alert.text) == (queued[0], COORDINATORS_CHAT, "request")
        assert await _audit(unit.session) == [
            ("bot", "observer-request-to-coordinators", {"observer": OBSERVER, "to": [-100200]})
        ]


async def test_a_request_that_fails_leaves_no_alert_and_no_record(engine: AsyncEngine) -> None:
    sessionmaker = create_sessionmaker(engine)
    with pytest.raises(RuntimeError):
        async with unit_of_work(sessionmaker) as unit:
            service = _service(unit.session)
            await service.register(OBSERVER, await _registration(unit.session))
            alerts = CoordinatorAlerts(unit.session, [COORDINATORS_CHAT], [])
            await service.ask_coordinators(OBSERVER, alerts, "request", None)
            raise RuntimeError("the update failed after the alert was queued")
    async with unit_of_work(sessionmaker) as unit:
        assert list((await unit.session.execute(select(OutgoingMessageRow))).scalars()) == []
        assert await _audit(unit.session) == []
        assert await _service(unit.session).status(OBSERVER) is None


@pytest.mark.parametrize("approve, role", [(True, Role.OBSERVER), (False, Role.MEMBER)])
async def test_a_decision_sets_the_role_once_and_is_recorded(
    engine: AsyncEngine, approve: bool, role: Role
) -> None:
    sessionmaker = create_sessionmaker(engine)
    async with unit_of_work(sessionmaker) as unit:
        await UserRepository(unit.session).get_or_create(OBSERVER)
        await _service(unit.session).register(OBSERVER, await _registration(unit.session))
    async with unit_of_work(sessionmaker) as unit:
        decided = await _service(unit.session).decide(OBSERVER, approve, coordinator_id=42)
        assert decided is (ObserverStatus.APPROVED if approve else ObserverStatus.REJECTED)
    async with unit_of_work(sessionmaker) as unit:
        # A second coordinator tapping the other button later changes nothing.
        assert await _service(unit.session).decide(OBSERVER, not approve, 43) is None
    async with unit_of_work(sessionmaker) as unit:
        user = await UserRepository(unit.session).get(OBSERVER)
        assert user is not None and user.role is role
        assert await _audit(unit.session) == [
            ("42", "observer-decision", {"observer": OBSERVER, "approved": approve})
        ]
