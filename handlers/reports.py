""" "My reports": what an observer sent and where it stands, with a correction added to an
incident (never an edit in place) or a new version of a protocol."""

from __future__ import annotations

import html
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from handlers import drafts
from handlers.callbacks import ProtocolStep, ProtocolStepV1, ReportStep, ReportStepV1
from handlers.keyboards import InlineButtons
from handlers.replies import show
from handlers.states import IncidentCorrection
from models.drafts import CorrectionDraft
from models.election import Election
from models.incident import IncidentCatalog
from services.incidents import MAX_DESCRIPTION, IncidentService
from services.protocols import ProtocolService
from settings import Settings
from storage.precincts import PrecinctRepository

router = Router(name="reports")


async def show_my_reports(
    event: Message | CallbackQuery,
    *,
    user_id: int,
    i18n: I18nContext,
    protocols: ProtocolService,
    incidents: IncidentService,
    precincts: PrecinctRepository,
    election: Election,
    catalog: IncidentCatalog,
    settings: Settings,
) -> None:
    zone = ZoneInfo(settings.election.timezone)
    lines = [i18n.get("reports-title")]
    builder = InlineButtons()
    sent_protocols = await protocols.of_observer(user_id)
    for row in sent_protocols:
        precinct = await precincts.get(row.precinct_id)
        level = next(
            (level.name.in_(i18n.locale) for level in election.levels if level.key == row.level),
            row.level,
        )
        lines.append(
            i18n.get(
                "reports-protocol",
                number=precinct.number if precinct else "?",
                level=level,
                version=row.version,
                status=i18n.get(f"report-status-{row.status}"),
            )
        )
    sent_incidents = await incidents.of_observer(user_id)
    for row in sent_incidents:
        category = catalog.category(row.category)
        occurred = (
            row.occurred_at
            if row.occurred_at.tzinfo
            else row.occurred_at.replace(tzinfo=ZoneInfo("UTC"))
        )
        lines.append(
            i18n.get(
                "reports-incident",
                id=str(row.id),
                time=occurred.astimezone(zone).strftime("%H:%M"),
                category=html.escape(
                    category.name.in_(i18n.locale) if category else row.category, quote=False
                ),
                status=i18n.get(f"report-status-{row.status}"),
            )
        )
        builder.button(
            text=i18n.get("reports-button-correct", id=str(row.id)),
            callback_data=ReportStepV1(step=ReportStep.CORRECT, incident=row.id),
        )
    if not sent_protocols and not sent_incidents:
        lines.append(i18n.get("reports-none"))
    if sent_protocols:
        builder.button(
            text=i18n.get("reports-button-new-version"),
            callback_data=ProtocolStepV1(step=ProtocolStep.START),
        )
    builder.adjust(1)
    await show(event, "\n".join(lines), builder.as_markup())


@router.message(Command("myreports"))
async def my_reports_command(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    protocols: ProtocolService,
    incidents: IncidentService,
    precincts: PrecinctRepository,
    election: Election,
    incident_catalog: IncidentCatalog,
    settings: Settings,
) -> None:
    """/myreports: the protocols and incidents this observer sent, with their status."""
    await state.clear()
    await show_my_reports(
        message,
        user_id=message.chat.id,
        i18n=i18n,
        protocols=protocols,
        incidents=incidents,
        precincts=precincts,
        election=election,
        catalog=incident_catalog,
        settings=settings,
    )


@router.callback_query(ReportStepV1.filter(F.step == ReportStep.LIST))
async def my_reports_button(
    callback: CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    protocols: ProtocolService,
    incidents: IncidentService,
    precincts: PrecinctRepository,
    election: Election,
    incident_catalog: IncidentCatalog,
    settings: Settings,
) -> None:
    """ "📋 My reports" under the observer's status."""
    await state.clear()
    await show_my_reports(
        callback,
        user_id=callback.from_user.id,
        i18n=i18n,
        protocols=protocols,
        incidents=incidents,
        precincts=precincts,
        election=election,
        catalog=incident_catalog,
        settings=settings,
    )


@router.callback_query(ReportStepV1.filter(F.step == ReportStep.CORRECT))
async def correction_asked(
    callback: CallbackQuery,
    callback_data: ReportStepV1,
    state: FSMContext,
    i18n: I18nContext,
    incidents: IncidentService,
) -> None:
    """ "✏ Add to #n": what to add."""
    if not any(
        row.id == callback_data.incident
        for row in await incidents.of_observer(callback.from_user.id)
    ):
        return  # not this observer's report: forged data
    await state.set_state(IncidentCorrection.text)
    await drafts.start(state, CorrectionDraft, {"incident": callback_data.incident})
    await show(callback, i18n.get("reports-ask-correction", id=str(callback_data.incident)))


@router.message(IncidentCorrection.text, F.text, ~F.text.startswith("/"))
async def correction_typed(
    message: Message, state: FSMContext, i18n: I18nContext, incidents: IncidentService
) -> None:
    """The addition: appended to the report, which keeps what was said before."""
    text = (message.text or "").strip()
    if len(text) > MAX_DESCRIPTION:
        await message.answer(i18n.get("incident-description-too-long", length=len(text)))
        return
    incident_id = (await drafts.read(state, CorrectionDraft)).incident
    await incidents.add_correction(message.chat.id, incident_id, text)
    await state.clear()
    await message.answer(i18n.get("reports-correction-added", id=str(incident_id)))
