"""Incident journey: precinct → stage → category → when → description → evidence (any number of
photos, videos, files) → optional location → review → send. Critical categories reach the
coordinators at once with the evidence; a repeat within 10 minutes is merged after asking."""

from __future__ import annotations

import html
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    CallbackQuery,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from aiogram_i18n import I18nContext

from handlers import drafts
from handlers.callbacks import IncidentStep, IncidentStepV1
from handlers.keyboards import (
    InlineButtons,
    become_an_observer,
    observer_actions,
    open_incident_keyboard,
    own_precincts_keyboard,
)
from handlers.replies import notify_coordinators, show
from handlers.states import IncidentReport
from models.drafts import IncidentDraft
from models.incident import IncidentCatalog, IncidentSeverity
from models.observer import ObserverStatus
from models.tables import utc_now
from services.incidents import MAX_DESCRIPTION, IncidentService, TimeRejected, parse_incident_time
from services.observers import ObserverService
from services.outgoing import CoordinatorAlerts
from services.personal_data import PersonalDataCipher
from services.regions import region_message_id
from services.texts import escaped_fit
from settings import Settings
from storage.precincts import PrecinctRepository

router = Router(name="incidents")
# How much of a description the observer's review and the coordinators' alert show (the rest is
# stored in full; coordinators read it on the incident's card).
REVIEW_DESCRIPTION = 2400
ALERT_DESCRIPTION = 2400
log = logging.getLogger(__name__)
Screen = Message | CallbackQuery


def _step(
    builder: InlineButtons,
    i18n: I18nContext,
    text_id: str,
    step: IncidentStep,
    value: str = "",
) -> None:
    builder.button(text=i18n.get(text_id), callback_data=IncidentStepV1(step=step, value=value))


def _cancel(builder: InlineButtons, i18n: I18nContext) -> None:
    builder.button(
        text=i18n.get("protocol-button-cancel"),
        callback_data=IncidentStepV1(step=IncidentStep.CANCEL),
    )


async def start_incident(
    event: Screen,
    *,
    user_id: int,
    state: FSMContext,
    i18n: I18nContext,
    observers: ObserverService,
    catalog: IncidentCatalog,
) -> None:
    await state.clear()
    observer = await observers.observer(user_id)
    if observer is None or observer.status is not ObserverStatus.APPROVED or not observer.precincts:
        await show(event, i18n.get("incident-only-observers"), become_an_observer(i18n))
        return
    await state.set_state(IncidentReport.precinct)
    await drafts.start(state, IncidentDraft, {"evidence": []})
    if len(observer.precincts) == 1:
        await drafts.change(state, IncidentDraft, precinct=observer.precincts[0].id)
        await _ask_stage(event, state, i18n, catalog)
        return
    keyboard = own_precincts_keyboard(
        i18n,
        observer.precincts,
        lambda pid: IncidentStepV1(step=IncidentStep.PRECINCT, value=str(pid)),
        IncidentStepV1(step=IncidentStep.CANCEL),
    )
    await show(event, i18n.get("incident-ask-precinct"), keyboard)


@router.message(Command("incident"))
async def incident_command(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    observers: ObserverService,
    incident_catalog: IncidentCatalog,
) -> None:
    """/incident: report a violation (approved observers)."""
    await start_incident(
        message,
        user_id=message.chat.id,
        state=state,
        i18n=i18n,
        observers=observers,
        catalog=incident_catalog,
    )


@router.callback_query(IncidentStepV1.filter(F.step == IncidentStep.START))
async def incident_button(
    callback: CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    observers: ObserverService,
    incident_catalog: IncidentCatalog,
) -> None:
    """ "⚠ Report a violation" under the observer's status."""
    await start_incident(
        callback,
        user_id=callback.from_user.id,
        state=state,
        i18n=i18n,
        observers=observers,
        catalog=incident_catalog,
    )


@router.callback_query(
    IncidentStepV1.filter(F.step == IncidentStep.PRECINCT), IncidentReport.precinct
)
async def precinct_chosen(
    callback: CallbackQuery,
    callback_data: IncidentStepV1,
    state: FSMContext,
    i18n: I18nContext,
    observers: ObserverService,
    incident_catalog: IncidentCatalog,
) -> None:
    """One of the observer's own precincts (re-checked)."""
    observer = await observers.observer(callback.from_user.id)
    if observer is None or callback_data.value not in {str(p.id) for p in observer.precincts}:
        return
    await drafts.change(state, IncidentDraft, precinct=int(callback_data.value))
    await _ask_stage(callback, state, i18n, incident_catalog)


async def _ask_stage(
    event: Screen, state: FSMContext, i18n: I18nContext, catalog: IncidentCatalog
) -> None:
    await state.set_state(IncidentReport.stage)
    builder = InlineButtons()
    for stage in catalog.stages:
        builder.button(
            text=stage.name.in_(i18n.locale),
            callback_data=IncidentStepV1(step=IncidentStep.STAGE, value=stage.key),
        )
    _cancel(builder, i18n)
    builder.adjust(2)
    await show(event, i18n.get("incident-ask-stage"), builder.as_markup())


@router.callback_query(IncidentStepV1.filter(F.step == IncidentStep.STAGE))
async def stage_chosen(
    callback: CallbackQuery,
    callback_data: IncidentStepV1,
    state: FSMContext,
    i18n: I18nContext,
    incident_catalog: IncidentCatalog,
) -> None:
    """A stage: its categories, with Back to the stages."""
    if await state.get_state() not in (IncidentReport.stage.state, IncidentReport.category.state):
        return
    categories = incident_catalog.in_stage(callback_data.value)
    if not categories:
        return
    await state.set_state(IncidentReport.category)
    builder = InlineButtons()
    for category in categories:
        builder.button(
            text=category.name.in_(i18n.locale),
            callback_data=IncidentStepV1(step=IncidentStep.CATEGORY, value=category.code),
        )
    _step(builder, i18n, "protocol-button-back", IncidentStep.STAGES)
    _cancel(builder, i18n)
    builder.adjust(1)
    await show(callback, i18n.get("incident-ask-category"), builder.as_markup())


@router.callback_query(
    IncidentStepV1.filter(F.step == IncidentStep.STAGES), IncidentReport.category
)
@router.callback_query(
    IncidentStepV1.filter(F.step == IncidentStep.EDIT_CATEGORY), IncidentReport.review
)
async def back_to_stages(
    callback: CallbackQuery, state: FSMContext, i18n: I18nContext, incident_catalog: IncidentCatalog
) -> None:
    """ "⬅ Back" from the categories, or "✏ Violation" on the review: the stages again."""
    await _ask_stage(callback, state, i18n, incident_catalog)


@router.callback_query(
    IncidentStepV1.filter(F.step == IncidentStep.CATEGORY), IncidentReport.category
)
async def category_chosen(
    callback: CallbackQuery,
    callback_data: IncidentStepV1,
    state: FSMContext,
    i18n: I18nContext,
    incident_catalog: IncidentCatalog,
    precincts: PrecinctRepository,
    cipher: PersonalDataCipher,
    settings: Settings,
) -> None:
    """A category: when did it happen? (Back to the review when it was changed there.)"""
    if incident_catalog.category(callback_data.value) is None:
        return
    await drafts.change(state, IncidentDraft, category=callback_data.value)
    if (await drafts.read(state, IncidentDraft)).reviewing:
        await _review(callback, state, i18n, incident_catalog, precincts, cipher, settings)
        return
    await _ask_time(callback, state, i18n)


async def _ask_time(event: Screen, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(IncidentReport.time)
    builder = InlineButtons()
    _step(builder, i18n, "incident-button-now", IncidentStep.NOW)
    _cancel(builder, i18n)
    await show(event, i18n.get("incident-ask-time"), builder.as_markup())


async def _time_given(
    event: Screen,
    state: FSMContext,
    i18n: I18nContext,
    when: datetime,
    catalog: IncidentCatalog,
    precincts: PrecinctRepository,
    cipher: PersonalDataCipher,
    settings: Settings,
) -> None:
    await drafts.change(state, IncidentDraft, occurred_at=when.isoformat())
    if (await drafts.read(state, IncidentDraft)).reviewing:
        await _review(event, state, i18n, catalog, precincts, cipher, settings)
        return
    await state.set_state(IncidentReport.description)
    await show(event, i18n.get("incident-ask-description"))


@router.callback_query(IncidentStepV1.filter(F.step == IncidentStep.NOW), IncidentReport.time)
async def time_now(
    callback: CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    incident_catalog: IncidentCatalog,
    precincts: PrecinctRepository,
    cipher: PersonalDataCipher,
    settings: Settings,
) -> None:
    """ "🕒 Now"."""
    await _time_given(
        callback, state, i18n, utc_now(), incident_catalog, precincts, cipher, settings
    )


@router.message(IncidentReport.time, F.text, ~F.text.startswith("/"))
async def time_typed(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    incident_catalog: IncidentCatalog,
    precincts: PrecinctRepository,
    cipher: PersonalDataCipher,
    settings: Settings,
) -> None:
    """HH:MM today."""
    try:
        when = parse_incident_time(
            message.text or "", utc_now(), ZoneInfo(settings.election.timezone)
        )
    except TimeRejected as rejection:
        await message.answer(i18n.get(f"incident-time-{rejection}"))
        return
    await _time_given(message, state, i18n, when, incident_catalog, precincts, cipher, settings)


@router.message(IncidentReport.description, F.text, ~F.text.startswith("/"))
async def description_typed(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    incident_catalog: IncidentCatalog,
    precincts: PrecinctRepository,
    cipher: PersonalDataCipher,
    settings: Settings,
) -> None:
    """What happened."""
    text = (message.text or "").strip()
    if len(text) > MAX_DESCRIPTION:
        await message.answer(i18n.get("incident-description-too-long", length=len(text)))
        return
    await drafts.change(state, IncidentDraft, description=cipher.seal(text))
    if (await drafts.read(state, IncidentDraft)).reviewing:
        await _review(message, state, i18n, incident_catalog, precincts, cipher, settings)
        return
    await state.set_state(IncidentReport.evidence)
    builder = InlineButtons()
    _step(builder, i18n, "incident-button-skip", IncidentStep.EVIDENCE_DONE)
    _cancel(builder, i18n)
    await message.answer(i18n.get("incident-ask-evidence"), reply_markup=builder.as_markup())


@router.message(IncidentReport.description, ~F.text.startswith("/"))
async def description_not_text(message: Message, i18n: I18nContext) -> None:
    """A photo before the description: the description comes first."""
    await message.answer(i18n.get("incident-description-expected"))


@router.message(IncidentReport.evidence, F.photo | F.video | F.document | F.video_note)
async def evidence_received(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    """A photo, video or file of evidence (albums arrive one message at a time)."""
    if message.photo:
        file_id, kind = message.photo[-1].file_id, "photo"
    elif message.video or message.video_note:
        file_id, kind = (message.video or message.video_note).file_id, "video"  # type: ignore[union-attr]
    else:
        file_id, kind = message.document.file_id, "document"  # type: ignore[union-attr]
    evidence = (await drafts.read(state, IncidentDraft)).evidence
    evidence.append(
        {
            "file_id": file_id,
            "kind": kind,
            "chat_id": message.chat.id,
            "message_id": message.message_id,
        }
    )
    await drafts.change(state, IncidentDraft, evidence=evidence)
    builder = InlineButtons()
    _step(builder, i18n, "protocol-button-done", IncidentStep.EVIDENCE_DONE)
    _cancel(builder, i18n)
    await message.answer(
        i18n.get("incident-evidence-received", count=len(evidence)),
        reply_markup=builder.as_markup(),
    )


@router.message(IncidentReport.evidence, ~F.text.startswith("/"))
async def evidence_expected(message: Message, i18n: I18nContext) -> None:
    """Text while evidence is expected."""
    await message.answer(i18n.get("incident-evidence-expected"))


@router.callback_query(
    IncidentStepV1.filter(F.step == IncidentStep.EVIDENCE_DONE), IncidentReport.evidence
)
async def evidence_done(
    callback: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    i18n: I18nContext,
    incident_catalog: IncidentCatalog,
    precincts: PrecinctRepository,
    cipher: PersonalDataCipher,
    settings: Settings,
) -> None:
    """ "✅ Done" or "Skip": the optional location (or back to the review)."""
    if (await drafts.read(state, IncidentDraft)).reviewing:
        await _review(callback, state, i18n, incident_catalog, precincts, cipher, settings)
        return
    await state.set_state(IncidentReport.location)
    # One prompt, holding the keyboard: the evidence screen above loses its buttons.
    if isinstance(callback.message, Message):
        await callback.message.edit_reply_markup(reply_markup=None)
    keyboard = ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=i18n.get("incident-button-location"), request_location=True)],
            [KeyboardButton(text=i18n.get("incident-button-skip"))],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
    await bot.send_message(
        callback.from_user.id, i18n.get("incident-ask-location"), reply_markup=keyboard
    )


@router.message(IncidentReport.location, F.location)
async def location_received(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    incident_catalog: IncidentCatalog,
    precincts: PrecinctRepository,
    cipher: PersonalDataCipher,
    settings: Settings,
) -> None:
    """The location button."""
    location = message.location
    assert location is not None
    await drafts.change(state, IncidentDraft, location=[location.latitude, location.longitude])
    await message.answer(i18n.get("incident-location-received"), reply_markup=ReplyKeyboardRemove())
    await _review(message, state, i18n, incident_catalog, precincts, cipher, settings)


@router.message(IncidentReport.location, ~F.text.startswith("/"))
async def location_skipped(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    incident_catalog: IncidentCatalog,
    precincts: PrecinctRepository,
    cipher: PersonalDataCipher,
    settings: Settings,
) -> None:
    """ "Skip" (or anything else): no location."""
    # A short answer takes the keyboard away (a message with the review's buttons cannot).
    await message.answer(i18n.get("incident-location-skipped"), reply_markup=ReplyKeyboardRemove())
    await _review(message, state, i18n, incident_catalog, precincts, cipher, settings)


def _local_time(iso: str, settings: Settings) -> str:
    return (
        datetime.fromisoformat(iso)
        .astimezone(ZoneInfo(settings.election.timezone))
        .strftime("%H:%M")
    )


async def _review(
    event: Screen,
    state: FSMContext,
    i18n: I18nContext,
    catalog: IncidentCatalog,
    precincts: PrecinctRepository,
    cipher: PersonalDataCipher,
    settings: Settings,
) -> None:
    data = await drafts.read(state, IncidentDraft)
    precinct = await precincts.get(data.precinct)
    category = catalog.category(data.category)
    assert category is not None
    await state.set_state(IncidentReport.review)
    text = i18n.get(
        "incident-review",
        number=precinct.number if precinct else "?",
        category=html.escape(category.name.in_(i18n.locale), quote=False),
        time=_local_time(data.occurred_at, settings),
        # At most 2,000 characters typed, but "<" and "&" escape to 4-5 each and emoji count
        # twice for Telegram: the review must fit one message and one Fluent placeable.
        description=escaped_fit(cipher.unseal(data.description), REVIEW_DESCRIPTION),
        evidence=len(data.evidence),
        location=1 if data.location else 0,
    )
    # From here on, a field changed from this screen comes back to it instead of going on.
    await drafts.change(state, IncidentDraft, reviewing=True)
    builder = InlineButtons()
    _step(builder, i18n, "incident-button-edit-category", IncidentStep.EDIT_CATEGORY)
    _step(builder, i18n, "incident-button-edit-time", IncidentStep.EDIT_TIME)
    _step(builder, i18n, "incident-button-edit-description", IncidentStep.EDIT_DESCRIPTION)
    _step(builder, i18n, "incident-button-edit-evidence", IncidentStep.EDIT_EVIDENCE)
    _step(builder, i18n, "incident-button-send", IncidentStep.SEND)
    _cancel(builder, i18n)
    builder.adjust(2, 2, 1, 1)
    await show(event, text, builder.as_markup())


@router.callback_query(
    IncidentStepV1.filter(F.step == IncidentStep.EDIT_TIME), IncidentReport.review
)
async def edit_time(callback: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    """ "✏ Time" on the review."""
    await _ask_time(callback, state, i18n)


@router.callback_query(
    IncidentStepV1.filter(F.step == IncidentStep.EDIT_DESCRIPTION), IncidentReport.review
)
async def edit_description(callback: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    """ "✏ Description" on the review: typed again, whole."""
    await state.set_state(IncidentReport.description)
    await show(callback, i18n.get("incident-ask-description-again"))


@router.callback_query(
    IncidentStepV1.filter(F.step == IncidentStep.EDIT_EVIDENCE), IncidentReport.review
)
async def edit_evidence(callback: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    """ "✏ Evidence" on the review: more files, or all removed, then back to the review."""
    await state.set_state(IncidentReport.evidence)
    count = len((await drafts.read(state, IncidentDraft)).evidence)
    builder = InlineButtons()
    _step(builder, i18n, "protocol-button-done", IncidentStep.EVIDENCE_DONE)
    if count:
        _step(builder, i18n, "incident-button-remove-evidence", IncidentStep.EDIT_EVIDENCE, "x")
    _cancel(builder, i18n)
    builder.adjust(1)
    await show(callback, i18n.get("incident-ask-more-evidence", count=count), builder.as_markup())


@router.callback_query(
    IncidentStepV1.filter((F.step == IncidentStep.EDIT_EVIDENCE) & (F.value == "x")),
    IncidentReport.evidence,
)
async def remove_evidence(
    callback: CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    incident_catalog: IncidentCatalog,
    precincts: PrecinctRepository,
    cipher: PersonalDataCipher,
    settings: Settings,
) -> None:
    """ "🗑 Remove the files": none attached (a wrong photo sent by mistake)."""
    await drafts.change(state, IncidentDraft, evidence=[])
    await _review(callback, state, i18n, incident_catalog, precincts, cipher, settings)


@router.callback_query(IncidentStepV1.filter(F.step == IncidentStep.SEND), IncidentReport.review)
async def send(
    callback: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    i18n: I18nContext,
    incidents: IncidentService,
    incident_catalog: IncidentCatalog,
    precincts: PrecinctRepository,
    cipher: PersonalDataCipher,
    settings: Settings,
    coordinator_alerts: CoordinatorAlerts,
) -> None:
    """ "📨 Send": a repeat within 10 minutes is offered to merge first."""
    data = await drafts.read(state, IncidentDraft)
    repeat = await incidents.recent_repeat(callback.from_user.id, data.precinct, data.category)
    if repeat is not None:
        created = (
            repeat.created_at
            if repeat.created_at.tzinfo
            else repeat.created_at.replace(tzinfo=ZoneInfo("UTC"))
        )
        minutes = max(1, int((utc_now() - created).total_seconds() // 60))
        await drafts.change(state, IncidentDraft, repeat_of=repeat.id)
        await state.set_state(IncidentReport.repeat)
        builder = InlineButtons()
        _step(builder, i18n, "incident-button-merge", IncidentStep.MERGE)
        _step(builder, i18n, "incident-button-new", IncidentStep.NEW)
        builder.adjust(1)
        await show(callback, i18n.get("incident-repeat", minutes=minutes), builder.as_markup())
        return
    await _store(
        callback,
        state,
        i18n,
        incidents,
        incident_catalog,
        precincts,
        cipher,
        settings,
        coordinator_alerts,
    )


@router.callback_query(
    IncidentStepV1.filter(F.step.in_({IncidentStep.MERGE, IncidentStep.NEW})), IncidentReport.repeat
)
async def repeat_answered(
    callback: CallbackQuery,
    callback_data: IncidentStepV1,
    bot: Bot,
    state: FSMContext,
    i18n: I18nContext,
    incidents: IncidentService,
    incident_catalog: IncidentCatalog,
    precincts: PrecinctRepository,
    cipher: PersonalDataCipher,
    settings: Settings,
    coordinator_alerts: CoordinatorAlerts,
) -> None:
    """ "➕ Add to the earlier report" or "🆕 A separate report"."""
    if callback_data.step == IncidentStep.MERGE:
        data = await drafts.read(state, IncidentDraft)
        await incidents.merge(data.repeat_of, cipher.unseal(data.description), data.evidence)
        await state.clear()
        await show(callback, i18n.get("incident-merged"), observer_actions(i18n))
        return
    await _store(
        callback,
        state,
        i18n,
        incidents,
        incident_catalog,
        precincts,
        cipher,
        settings,
        coordinator_alerts,
    )


async def _store(
    callback: CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    incidents: IncidentService,
    catalog: IncidentCatalog,
    precincts: PrecinctRepository,
    cipher: PersonalDataCipher,
    settings: Settings,
    coordinator_alerts: CoordinatorAlerts,
) -> None:
    data = await drafts.read(state, IncidentDraft)
    category = catalog.category(data.category)
    assert category is not None
    description = cipher.unseal(data.description)
    location = tuple(data.location) if data.location else None
    row = await incidents.report(
        callback.from_user.id,
        data.precinct,
        category.code,
        category.severity.value,
        datetime.fromisoformat(data.occurred_at),
        description,
        data.evidence,
        location,  # type: ignore[arg-type]
    )
    await state.clear()
    critical = category.severity is IncidentSeverity.CRITICAL
    if critical:  # queued in this transaction, before the observer is told coordinators have it
        precinct = await precincts.get(data.precinct)
        with i18n.use_locale(settings.i18n.default_locale):
            text = i18n.get(
                "incident-for-coordinators",
                category=html.escape(category.name.in_(i18n.locale), quote=False),
                number=precinct.number if precinct else "?",
                region=i18n.get(region_message_id(precinct.region)) if precinct else "?",
                time=_local_time(data.occurred_at, settings),
                description=escaped_fit(description, ALERT_DESCRIPTION),
            )
            keyboard = open_incident_keyboard(i18n, row.id)
        evidence = [
            {key: item[key] for key in ("chat_id", "message_id", "kind", "file_id") if key in item}
            for item in data.evidence
        ]
        await notify_coordinators(coordinator_alerts, text, keyboard, evidence)
    await show(
        callback,
        i18n.get("incident-sent-critical" if critical else "incident-sent"),
        observer_actions(i18n),
    )


@router.callback_query(IncidentStepV1.filter(F.step == IncidentStep.CANCEL))
async def cancel_incident(callback: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    """ "✖ Cancel" anywhere in the report."""
    await state.clear()
    await show(callback, i18n.get("incident-cancelled"), observer_actions(i18n))
