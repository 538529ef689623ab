"""What coordinators do, bound to one update's session and the personal-data key, so that their
handlers call a service and never hold a session: the queues and cases (services.moderation),
official results (services.official_results), broadcasts (services.outgoing), exports
(services.coordinator_exports) and pausing the channel (publishing.publisher). The rules stay in
those modules; this is the door to them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models.election import Election
from models.incident import IncidentCatalog
from models.tables import BroadcastRow, IncidentRow, ObserverRow, PrecinctResultRow, PrecinctRow
from publishing import publisher
from services import coordinator_exports, moderation, official_results, outgoing
from services.coordinator_exports import ExportFormat, What
from services.moderation import Case, CaseItem, QueueCounts, RegionGaps
from services.official_results import DiscrepancyReport
from services.outgoing import Audience
from services.personal_data import PersonalDataCipher
from services.precinct_results import ResultStatus


class Coordination:
    def __init__(self, session: AsyncSession, cipher: PersonalDataCipher) -> None:
        self.session = session
        self.cipher = cipher

    # --- the record of who saw what -----------------------------------------------------------

    def audit(self, coordinator_id: int, action: str, detail: dict[str, Any]) -> None:
        moderation.audit(self.session, coordinator_id, action, detail)

    # --- protocols: queues and cases ----------------------------------------------------------

    async def queue_counts(self, election: str) -> QueueCounts:
        return await moderation.queue_counts(self.session, election)

    async def case_queue(
        self,
        election: str,
        status: ResultStatus,
        *,
        level: str | None = None,
        region: str | None = None,
        offset: int = 0,
        limit: int = moderation.PAGE_SIZE,
    ) -> tuple[list[CaseItem], int]:
        return await moderation.case_queue(
            self.session, election, status, level=level, region=region, offset=offset, limit=limit
        )

    async def case_regions(
        self, election: str, status: ResultStatus, level: str | None
    ) -> dict[str, int]:
        return await moderation.case_regions(self.session, election, status, level)

    async def load_case(self, election: str, level: str, precinct_id: int) -> Case | None:
        return await moderation.load_case(self.session, self.cipher, election, level, precinct_id)

    async def verify_protocol(self, protocol_id: int, coordinator_id: int) -> PrecinctResultRow:
        return await moderation.verify_protocol(self.session, protocol_id, coordinator_id)

    async def reject_protocol(
        self, protocol_id: int, coordinator_id: int, reason: str
    ) -> PrecinctResultRow:
        return await moderation.reject_protocol(
            self.session, self.cipher, protocol_id, coordinator_id, reason
        )

    async def pick_copy(self, protocol_id: int, coordinator_id: int) -> PrecinctResultRow:
        return await moderation.pick_copy(self.session, self.cipher, protocol_id, coordinator_id)

    async def correct_figure(
        self,
        election: str,
        level: str,
        precinct_id: int,
        key: str,
        value: int,
        coordinator_id: int,
        reason: str,
    ) -> PrecinctResultRow:
        return await moderation.correct_figure(
            self.session,
            self.cipher,
            election,
            level,
            precinct_id,
            key,
            value,
            coordinator_id,
            reason,
        )

    async def missing(
        self, election: Election, silent_since: datetime, region_filter: str | None = None
    ) -> list[RegionGaps]:
        return await moderation.missing(self.session, election, silent_since, region_filter)

    # --- incidents and observers ----------------------------------------------------------

    async def incident_queue(
        self, *, region: str | None = None, offset: int = 0, limit: int = moderation.PAGE_SIZE
    ) -> tuple[list[tuple[IncidentRow, PrecinctRow]], int]:
        return await moderation.incident_queue(
            self.session, region=region, offset=offset, limit=limit
        )

    async def incident_card(self, incident_id: int) -> tuple[IncidentRow, PrecinctRow, str] | None:
        return await moderation.incident_card(self.session, self.cipher, incident_id)

    async def decide_incident(
        self, incident_id: int, coordinator_id: int, verified: bool
    ) -> IncidentRow:
        return await moderation.decide_incident(self.session, incident_id, coordinator_id, verified)

    async def pending_observers(
        self, *, offset: int = 0, limit: int = moderation.PAGE_SIZE
    ) -> tuple[list[ObserverRow], int]:
        return await moderation.pending_observers(self.session, offset=offset, limit=limit)

    async def observer_request(self, telegram_id: int) -> tuple[str, str, list[PrecinctRow]] | None:
        return await moderation.observer_request(self.session, self.cipher, telegram_id)

    # --- official results -----------------------------------------------------------------

    async def import_official(
        self, election: Election, level: str, content: bytes, source: str, actor: str
    ) -> int:
        return await official_results.import_official(
            self.session, election, level, content, source, actor
        )

    async def import_summary(self, election: str, level: str) -> tuple[int, Any] | None:
        return await official_results.import_summary(self.session, election, level)

    async def discrepancy_report(
        self, election: Election, level: str, precinct_id: int | None = None
    ) -> DiscrepancyReport:
        return await official_results.discrepancy_report(
            self.session, election, level, precinct_id=precinct_id
        )

    # --- the channel ----------------------------------------------------------------------

    async def pause_channel(self, coordinator_id: int) -> bool:
        """False when it was paused already."""
        return await publisher.pause(self.session, coordinator_id)

    async def resume_channel(self) -> bool:
        """False when it was not paused."""
        return await publisher.resume(self.session)

    # --- broadcasts and exports -----------------------------------------------------------

    async def audience_ids(self, audience: Audience) -> list[int]:
        return await outgoing.audience_ids(self.session, audience)

    async def recipient_languages(self, ids: Sequence[int]) -> dict[int, str | None]:
        return await outgoing.recipient_languages(self.session, ids)

    async def create_broadcast(
        self,
        coordinator_id: int,
        audience: Audience,
        texts: dict[int, str],
        reply_markup: dict[str, Any] | None,
        source_text: str,
    ) -> BroadcastRow:
        return await outgoing.create_broadcast(
            self.session, coordinator_id, audience, texts, reply_markup, source_text
        )

    async def export_bytes(
        self,
        election: Election,
        catalog: IncidentCatalog,
        what: What,
        export_format: ExportFormat,
        actor: str,
        personal: bool = False,
    ) -> tuple[bytes, int]:
        """`personal`: with names and phone numbers (decrypted), for the logged exports only."""
        return await coordinator_exports.export_bytes(
            self.session,
            election,
            catalog,
            what,
            export_format,
            actor,
            self.cipher if personal else None,
        )
