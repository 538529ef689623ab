"""Coordinators' journey: home with the queues and their counts → a queue (oldest first, paged,
filtered by level and region) → a card (a protocol case or an incident) → a decision, audited,
then the next item. Also what is missing, observer requests, and exports.

Who is a coordinator is re-checked from configuration on every update of this router, because
callback data comes from the user and can be forged.
"""

from __future__ import annotations

import html
import logging
import re
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import BaseMiddleware, Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardMarkup,
    InputMediaDocument,
    InputMediaPhoto,
    Message,
    TelegramObject,
)
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from handlers import drafts
from handlers.callbacks import (
    BroadcastV1,
    CaseAction,
    CaseV1,
    CoordinatorV1,
    IncidentCardAction,
    IncidentCardV1,
    MenuItem,
    MenuV1,
    ObserverDecisionV1,
    OfficialV1,
    ProtocolStep,
    ProtocolStepV1,
    QueueV1,
)
from handlers.keyboards import InlineButtons
from handlers.replies import show
from handlers.states import CoordinatorInput
from models.drafts import CoordinatorDraft
from models.election import Election, Severity
from models.incident import IncidentCatalog
from models.tables import utc_now
from runtime.evidence import send_evidence
from services import moderation, official_results
from services.coordination import Coordination
from services.moderation import Case, DecisionRefused, Queue
from services.outgoing import (
    Audience,
)
from services.precinct_results import ResultStatus
from services.protocol_checks import referenced_keys
from services.protocols import (
    CountRejected,
    check_figures,
    header_precinct_differs,
    parse_count,
)
from services.regions import REGIONS, region_message_id
from services.texts import escaped_fit, utf16_length
from services.users import user_overview
from storage.unit_of_work import UnitOfWork
from storage.users import UserRepository

router = Router(name="coordinator")
log = logging.getLogger(__name__)
Screen = Message | CallbackQuery
LETTERS = "ABCDEFGHIJ"
# Short reasons for rejecting a copy: Fluent ids, their key in callback data.
REJECT_REASONS = {
    "pr": "case-reject-wrong-precinct",
    "ur": "case-reject-unreadable",
    "nc": "case-reject-not-a-copy",
    "dp": "case-reject-duplicate",
}
SILENT_HOURS = 3


class CoordinatorsOnly(BaseMiddleware):
    """Every update of this router but /coordinator itself is for coordinators only: a forged
    button or a typed message from anyone else is refused before any handler runs."""

    async def __call__(self, handler: Any, event: TelegramObject, data: dict[str, Any]) -> Any:
        if data.get("is_coordinator"):
            return await handler(event, data)
        i18n: I18nContext = data["i18n"]
        if isinstance(event, CallbackQuery):
            data["callback_answer"].text = i18n.get("coordinator-only")
            data["callback_answer"].show_alert = True
        elif isinstance(event, Message):
            await event.answer(i18n.get("coordinator-only"))
        return None


router.message.middleware(CoordinatorsOnly())
router.callback_query.middleware(CoordinatorsOnly())


# --- home ------------------------------------------------------------------------------------


async def _home(
    event: Screen,
    i18n: I18nContext,
    users: UserRepository,
    coordination: Coordination,
    election: Election,
) -> None:
    overview = await user_overview(users)
    counts = await coordination.queue_counts(election.slug)
    text = (
        i18n.get(
            "coordinator-overview",
            total=overview.total,
            kazakh=overview.kazakh,
            russian=overview.russian,
            undecided=overview.undecided,
            observers=overview.observers,
        )
        + "\n\n"
        + i18n.get(
            "coordinator-queues",
            flagged=counts.flagged,
            conflict=counts.conflict,
            incidents=counts.incidents,
            requests=counts.observers,
        )
    )
    builder = InlineButtons()
    builder.button(
        text=i18n.get("queue-button-flagged", count=counts.flagged),
        callback_data=QueueV1(kind=Queue.FLAGGED),
    )
    builder.button(
        text=i18n.get("queue-button-conflict", count=counts.conflict),
        callback_data=QueueV1(kind=Queue.CONFLICT),
    )
    builder.button(
        text=i18n.get("queue-button-incidents", count=counts.incidents),
        callback_data=QueueV1(kind=Queue.INCIDENTS),
    )
    builder.button(
        text=i18n.get("queue-button-requests", count=counts.observers),
        callback_data=QueueV1(kind=Queue.OBSERVERS),
    )
    builder.button(
        text=i18n.get("coordinator-button-missing"), callback_data=CoordinatorV1(screen="missing")
    )
    builder.button(
        text=i18n.get("coordinator-button-exports"), callback_data=CoordinatorV1(screen="exports")
    )
    builder.button(
        text=i18n.get("coordinator-button-official"), callback_data=OfficialV1(step="home")
    )
    builder.button(
        text=i18n.get("coordinator-button-broadcast"),
        callback_data=CoordinatorV1(screen="broadcast"),
    )
    builder.button(text=i18n.get("button-menu"), callback_data=MenuV1(item=MenuItem.HOME))
    builder.adjust(2, 2, 2, 2, 1)
    await show(event, text, builder.as_markup())


@router.message(Command("coordinator"))
@router.callback_query(MenuV1.filter(F.item == MenuItem.COORDINATOR))
@router.callback_query(CoordinatorV1.filter(F.screen == "home"))
async def coordinator_home(
    event: Message | CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    users: UserRepository,
    coordination: Coordination,
    election: Election,
) -> None:
    """/coordinator, Menu → Coordinator, or "⬅ Coordinator" from a queue or a card: the queues
    with their counts (any unfinished input is dropped)."""
    await state.clear()
    await _home(event, i18n, users, coordination, election)


def _home_button(builder: InlineButtons, i18n: I18nContext) -> None:
    builder.button(
        text=i18n.get("coordinator-button-home"), callback_data=CoordinatorV1(screen="home")
    )


# --- queues ----------------------------------------------------------------------------------


def _pager(builder: InlineButtons, query: QueueV1, total: int) -> int:
    """◀ ▶ buttons; returns how many it added."""
    pages = max(1, -(-total // moderation.PAGE_SIZE))
    added = 0
    if query.page > 0:
        builder.button(
            text="◀",
            callback_data=query.model_copy(update={"page": query.page - 1, "pick_region": False}),
        )
        added += 1
    if query.page + 1 < pages:
        builder.button(
            text="▶",
            callback_data=query.model_copy(update={"page": query.page + 1, "pick_region": False}),
        )
        added += 1
    return added


def _region_name(i18n: I18nContext, region: str) -> str:
    return i18n.get(region_message_id(region))


@router.callback_query(QueueV1.filter(F.kind.in_({Queue.FLAGGED, Queue.CONFLICT})))
async def case_queue(
    callback: CallbackQuery,
    callback_data: QueueV1,
    i18n: I18nContext,
    coordination: Coordination,
    election: Election,
) -> None:
    """A queue of precincts waiting for a decision: hard checks failing, or copies differing."""
    status = ResultStatus.FLAGGED if callback_data.kind == Queue.FLAGGED else ResultStatus.CONFLICT
    level = (
        callback_data.level if callback_data.level in {lv.key for lv in election.levels} else None
    )
    region = callback_data.region or None
    builder = InlineButtons()
    if callback_data.pick_region:
        regions = await coordination.case_regions(election.slug, status, level)
        for code in sorted(regions, key=lambda code: _region_name(i18n, code)):
            builder.button(
                text=f"{_region_name(i18n, code)} ({regions[code]})",
                callback_data=callback_data.model_copy(
                    update={"region": code, "page": 0, "pick_region": False}
                ),
            )
        builder.button(
            text=i18n.get("queue-all-regions"),
            callback_data=callback_data.model_copy(
                update={"region": "", "page": 0, "pick_region": False}
            ),
        )
        builder.adjust(2)
        await show(callback, i18n.get("queue-pick-region"), builder.as_markup())
        return
    items, total = await coordination.case_queue(
        election.slug,
        status,
        level=level,
        region=region,
        offset=callback_data.page * moderation.PAGE_SIZE,
    )
    for item in items:
        builder.button(
            text=i18n.get(
                "queue-case-item",
                number=item.number,
                region=_region_name(i18n, item.region),
                level=election.level(item.level).name.in_(i18n.locale),
            ),
            callback_data=CaseV1(
                action=CaseAction.OPEN, level=item.level, precinct=item.precinct_id
            ),
        )
    paging = _pager(builder, callback_data, total)
    # The level button cycles: all → each level in turn → all.
    cycle = ["", *(lv.key for lv in election.levels)]
    next_level = cycle[(cycle.index(level or "") + 1) % len(cycle)]
    builder.button(
        text=i18n.get(
            "queue-filter-level",
            level=election.level(level).name.in_(i18n.locale)
            if level
            else i18n.get("queue-all-levels"),
        ),
        callback_data=callback_data.model_copy(update={"level": next_level, "page": 0}),
    )
    builder.button(
        text=i18n.get(
            "queue-filter-region",
            region=_region_name(i18n, region) if region else i18n.get("queue-all-regions"),
        ),
        callback_data=callback_data.model_copy(update={"pick_region": True}),
    )
    _home_button(builder, i18n)
    builder.adjust(*([1] * len(items)), *([paging] if paging else []), 2, 1)
    title = i18n.get(
        "queue-title-flagged" if status is ResultStatus.FLAGGED else "queue-title-conflict",
        count=total,
    )
    page = i18n.get(
        "queue-page", page=callback_data.page + 1, pages=max(1, -(-total // moderation.PAGE_SIZE))
    )
    body = page if items else i18n.get("queue-empty")
    await show(callback, f"{title}\n{body}", builder.as_markup())


# --- a protocol case -------------------------------------------------------------------------


def _case_text(i18n: I18nContext, election: Election, case: Case, notice: str = "") -> str:
    form = election.form_for(case.level)
    copies = case.copies
    status = case.result.status if case.result else ResultStatus.FLAGGED.value
    counted = (
        case.result.figures
        if case.result and case.result.status == ResultStatus.COUNTED.value
        else None
    )
    override = case.result.override if case.result else None
    failing: dict[int, list[str]] = {}
    suspect: set[str] = set()
    for copy in copies:
        for result in check_figures(election, copy.figures):
            if not result.ok and result.severity is Severity.HARD and copy.status != "rejected":
                failing.setdefault(copy.protocol_id, []).append(i18n.get(result.message))
                check = next(c for c in election.checks if c.id == result.id)
                suspect |= referenced_keys(check.holds, [line.key for line in form])
    live = [copy for copy in copies if copy.status != "rejected"]
    lines = []
    for index, line in enumerate(form):
        values = [copy.figures.get(line.key) for copy in copies]
        differ = len({copy.figures.get(line.key) for copy in live}) > 1
        cells = []
        for copy, value in zip(copies, values, strict=True):
            cell = "—" if value is None else str(value)
            before = case.earlier.get(copy.protocol_id)
            if (
                before is not None and before.figures.get(line.key) != value
            ):  # changed since their previous version
                differ = True
                cell += f" (v{before.version}: {before.figures.get(line.key, '—')})"
            cells.append(cell)
        shown = " | ".join(cells)
        mark = "⚠ " if differ or line.key in suspect else ""
        label = html.escape(election.label(line, i18n.locale), quote=False)
        entry = f"{mark}{line.line or index + 1}. {label}: {shown}"
        if (
            override is not None
            and line.key in override
            and any(override[line.key] != value for value in values)
        ):
            entry += " → ✏ " + str(override[line.key])
        lines.append(entry)
    header = i18n.get(
        "case-title",
        number=case.precinct.number,
        region=_region_name(i18n, case.precinct.region),
        level=election.level(case.level).name.in_(i18n.locale),
        status=i18n.get(f"case-status-{status}"),
    )
    copy_lines = [
        i18n.get(
            "case-copy",
            letter=LETTERS[index % len(LETTERS)],
            version=copy.version,
            at=copy.created_at.astimezone(_zone(election)).strftime("%d.%m %H:%M"),
            state=i18n.get(f"report-status-{copy.status}"),
        )
        for index, copy in enumerate(copies)
    ]
    parts = (
        [notice, header, "\n".join(copy_lines), "\n".join(lines)]
        if notice
        else [header, "\n".join(copy_lines), "\n".join(lines)]
    )
    for index, copy in enumerate(copies):
        letter = LETTERS[index % len(LETTERS)]
        if copy.protocol_id in failing:
            parts.append(
                i18n.get(
                    "case-failing",
                    letter=letter,
                    problems="\n".join(f"• {p}" for p in failing[copy.protocol_id]),
                )
            )
        row = case.protocols.get(copy.protocol_id)
        read = header_precinct_differs(row.recognition, case.precinct.number) if row else None
        if read is not None:
            parts.append(i18n.get("case-header-precinct", letter=letter, read=read))
        if copy.protocol_id in case.reasons:
            parts.append(
                i18n.get(
                    "case-reason",
                    letter=letter,
                    reason=escaped_fit(case.reasons[copy.protocol_id], 600),
                )
            )
    if counted is not None:
        parts.append(i18n.get("case-counted-note"))
    return "\n\n".join(part for part in parts if part)


def _zone(election: Election) -> ZoneInfo:
    return ZoneInfo(election.timezone)


def _case_keyboard(i18n: I18nContext, election: Election, case: Case) -> InlineKeyboardMarkup:
    builder = InlineButtons()
    level, precinct = case.level, case.precinct.id
    rows: list[int] = []
    live = [(index, copy) for index, copy in enumerate(case.copies) if copy.status != "rejected"]
    single = len(case.copies) == 1
    for index, copy in live:
        letter = LETTERS[index % len(LETTERS)]
        data = {"level": level, "precinct": precinct, "protocol": copy.protocol_id}
        if single:
            builder.button(
                text=i18n.get("case-button-verify"),
                callback_data=CaseV1(action=CaseAction.VERIFY, **data),
            )
            builder.button(
                text=i18n.get("case-button-reject"),
                callback_data=CaseV1(action=CaseAction.REJECT, **data),
            )
            builder.button(
                text=i18n.get("case-button-ask"),
                callback_data=CaseV1(action=CaseAction.ASK, **data),
            )
            builder.button(
                text=i18n.get("case-button-photos"),
                callback_data=CaseV1(action=CaseAction.PHOTOS, **data),
            )
            rows += [2, 2]
        else:
            builder.button(
                text=f"✅ {letter}", callback_data=CaseV1(action=CaseAction.VERIFY, **data)
            )
            builder.button(
                text=f"❌ {letter}", callback_data=CaseV1(action=CaseAction.REJECT, **data)
            )
            builder.button(text=f"💬 {letter}", callback_data=CaseV1(action=CaseAction.ASK, **data))
            builder.button(
                text=f"🖼 {letter}", callback_data=CaseV1(action=CaseAction.PHOTOS, **data)
            )
            rows.append(4)
    builder.button(
        text=i18n.get("case-button-correct"),
        callback_data=CaseV1(action=CaseAction.CORRECT, level=level, precinct=precinct),
    )
    queue = (
        Queue.CONFLICT
        if case.result and case.result.status == ResultStatus.CONFLICT.value
        else Queue.FLAGGED
    )
    builder.button(text=i18n.get("case-button-queue"), callback_data=QueueV1(kind=queue))
    builder.adjust(*rows, 1, 1)
    return builder.as_markup()


async def _show_case(
    event: Screen,
    i18n: I18nContext,
    coordination: Coordination,
    election: Election,
    level: str,
    precinct_id: int,
    notice: str = "",
) -> None:
    case = await coordination.load_case(election.slug, level, precinct_id)
    if case is None:
        await show(event, i18n.get("case-not-found"))
        return
    if case.reasons:  # the observers' own words are personal data: the view is on the record
        coordination.audit(
            event.from_user.id,
            "view-protocol-case",
            {"level": level, "precinct": precinct_id},
        )  # type: ignore[union-attr]
    await show(
        event, _case_text(i18n, election, case, notice), _case_keyboard(i18n, election, case)
    )


@router.callback_query(CaseV1.filter(F.action == CaseAction.OPEN))
async def open_case(
    callback: CallbackQuery,
    callback_data: CaseV1,
    state: FSMContext,
    i18n: I18nContext,
    coordination: Coordination,
    election: Election,
) -> None:
    """A queue item or a notice's "Open": the precinct's copies side by side."""
    await state.clear()
    await _show_case(
        callback, i18n, coordination, election, callback_data.level, callback_data.precinct
    )


def _decided_notice(i18n: I18nContext, status: str) -> str:
    return i18n.get("case-decided", status=i18n.get(f"case-status-{status}"))


@router.callback_query(CaseV1.filter(F.action == CaseAction.VERIFY))
async def verify(
    callback: CallbackQuery,
    callback_data: CaseV1,
    callback_answer: CallbackAnswer,
    i18n: I18nContext,
    coordination: Coordination,
    election: Election,
) -> None:
    """✅: the only copy is right as sent; of several differing copies, this one is."""
    case = await coordination.load_case(election.slug, callback_data.level, callback_data.precinct)
    if case is None or callback_data.protocol not in case.protocols:
        await show(callback, i18n.get("case-not-found"))
        return
    live = [copy for copy in case.copies if copy.status != "rejected"]
    try:
        if len(live) > 1 or len(case.copies) > 1:
            result = await coordination.pick_copy(callback_data.protocol, callback.from_user.id)
        else:
            result = await coordination.verify_protocol(
                callback_data.protocol, callback.from_user.id
            )
    except DecisionRefused:
        refused(callback_answer, i18n)
        return
    await _show_case(
        callback,
        i18n,
        coordination,
        election,
        callback_data.level,
        callback_data.precinct,
        _decided_notice(i18n, result.status),
    )


def refused(callback_answer: CallbackAnswer, i18n: I18nContext) -> None:
    """Another coordinator was faster, or the item is gone: said in an alert."""
    callback_answer.text = i18n.get("case-already-decided")
    callback_answer.show_alert = True


@router.callback_query(CaseV1.filter(F.action == CaseAction.REJECT))
async def reject(
    callback: CallbackQuery, callback_data: CaseV1, state: FSMContext, i18n: I18nContext
) -> None:
    """❌: why? A reason from the short list, or typed."""
    builder = InlineButtons()
    for code, text_id in REJECT_REASONS.items():
        builder.button(
            text=i18n.get(text_id),
            callback_data=callback_data.model_copy(
                update={"action": CaseAction.REJECT_WITH, "value": code}
            ),
        )
    builder.button(
        text=i18n.get("case-button-back"),
        callback_data=callback_data.model_copy(update={"action": CaseAction.OPEN}),
    )
    builder.adjust(1)
    await state.set_state(CoordinatorInput.reject_reason)
    await drafts.start(
        state,
        CoordinatorDraft,
        {
            "level": callback_data.level,
            "precinct": callback_data.precinct,
            "protocol": callback_data.protocol,
        },
    )
    await show(callback, i18n.get("case-ask-reject-reason"), builder.as_markup())


async def _reject(
    event: Screen,
    i18n: I18nContext,
    coordination: Coordination,
    election: Election,
    level: str,
    precinct: int,
    protocol: int,
    reason: str,
) -> None:
    try:
        result = await coordination.reject_protocol(protocol, event.from_user.id, reason)  # type: ignore[union-attr]
    except DecisionRefused:
        await show(event, i18n.get("case-already-decided"))
        return
    await _show_case(
        event,
        i18n,
        coordination,
        election,
        level,
        precinct,
        _decided_notice(i18n, result.status),
    )


@router.callback_query(CaseV1.filter(F.action == CaseAction.REJECT_WITH))
async def reject_with(
    callback: CallbackQuery,
    callback_data: CaseV1,
    state: FSMContext,
    i18n: I18nContext,
    coordination: Coordination,
    election: Election,
) -> None:
    """A reason from the short list."""
    if callback_data.value not in REJECT_REASONS:
        return
    await state.clear()
    with i18n.use_locale("ru"):  # stored in one language, whoever decided
        reason = i18n.get(REJECT_REASONS[callback_data.value])
    await _reject(
        callback,
        i18n,
        coordination,
        election,
        callback_data.level,
        callback_data.precinct,
        callback_data.protocol,
        reason,
    )


async def _typed_note(message: Message, i18n: I18nContext) -> str | None:
    """A coordinator's typed reason or message, or None (with the reason said) when too long."""
    text = (message.text or "").strip()
    if len(text) > moderation.MAX_NOTE:
        await message.answer(i18n.get("case-note-too-long", limit=moderation.MAX_NOTE))
        return None
    return text


@router.message(CoordinatorInput.reject_reason, F.text, ~F.text.startswith("/"))
async def reject_typed(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    coordination: Coordination,
    election: Election,
) -> None:
    """A rejection reason typed instead of chosen."""
    data = await drafts.read(state, CoordinatorDraft)
    reason = await _typed_note(message, i18n)
    if reason is None:
        return
    await state.clear()
    await _reject(
        message,
        i18n,
        coordination,
        election,
        data.level,
        data.precinct,
        data.protocol,
        reason,
    )


@router.callback_query(CaseV1.filter(F.action == CaseAction.CORRECT))
async def correct(
    callback: CallbackQuery,
    callback_data: CaseV1,
    state: FSMContext,
    i18n: I18nContext,
    election: Election,
) -> None:
    """✏: which line?"""
    if callback_data.level not in {lv.key for lv in election.levels}:
        return
    await state.clear()
    form = election.form_for(callback_data.level)
    builder = InlineButtons()
    for index, line in enumerate(form):
        builder.button(
            text=f"✏ {line.line or index + 1}",
            callback_data=callback_data.model_copy(
                update={"action": CaseAction.CORRECT_LINE, "value": str(index)}
            ),
        )
    builder.button(
        text=i18n.get("case-button-back"),
        callback_data=callback_data.model_copy(update={"action": CaseAction.OPEN}),
    )
    builder.adjust(*([5] * (len(form) // 5)), *([len(form) % 5] if len(form) % 5 else []), 1)
    await show(callback, i18n.get("case-ask-line"), builder.as_markup())


@router.callback_query(CaseV1.filter(F.action == CaseAction.CORRECT_LINE))
async def correct_line(
    callback: CallbackQuery,
    callback_data: CaseV1,
    state: FSMContext,
    i18n: I18nContext,
    election: Election,
) -> None:
    """A line chosen: type its figure."""
    if callback_data.level not in {lv.key for lv in election.levels}:
        return
    form = election.form_for(callback_data.level)
    index = (
        int(callback_data.value)
        if callback_data.value.isascii() and callback_data.value.isdigit()
        else -1
    )
    if not 0 <= index < len(form):
        return
    line = form[index]
    await state.set_state(CoordinatorInput.figure_value)
    await drafts.start(
        state,
        CoordinatorDraft,
        {"level": callback_data.level, "precinct": callback_data.precinct, "key": line.key},
    )
    builder = InlineButtons()
    builder.button(
        text=i18n.get("case-button-back"),
        callback_data=callback_data.model_copy(update={"action": CaseAction.OPEN, "value": ""}),
    )
    label = html.escape(election.label(line, i18n.locale), quote=False)
    await show(
        callback,
        i18n.get("case-ask-figure", line=line.line or index + 1, label=label),
        builder.as_markup(),
    )


@router.message(CoordinatorInput.figure_value, F.text, ~F.text.startswith("/"))
async def figure_typed(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    """The coordinator's figure; then why."""
    try:
        value = parse_count(message.text or "")
    except CountRejected as rejection:
        await message.answer(i18n.get(f"protocol-count-{rejection.problem.value}"))
        return
    await drafts.change(state, CoordinatorDraft, value=value)
    await state.set_state(CoordinatorInput.figure_reason)
    await message.answer(i18n.get("case-ask-figure-reason"))


@router.message(CoordinatorInput.figure_reason, F.text, ~F.text.startswith("/"))
async def figure_reason_typed(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    coordination: Coordination,
    election: Election,
) -> None:
    """Why the figure differs from the observer's: kept with the override."""
    reason = await _typed_note(message, i18n)
    if reason is None:
        return
    data = await drafts.read(state, CoordinatorDraft)
    await state.clear()
    try:
        result = await coordination.correct_figure(
            election.slug,
            data.level,
            data.precinct,
            data.key,
            data.value,
            message.chat.id,
            reason,
        )
    except DecisionRefused:
        await message.answer(i18n.get("case-not-found"))
        return
    await _show_case(
        message,
        i18n,
        coordination,
        election,
        data.level,
        data.precinct,
        _decided_notice(i18n, result.status),
    )


@router.callback_query(CaseV1.filter(F.action == CaseAction.ASK))
async def ask_observer(
    callback: CallbackQuery, callback_data: CaseV1, state: FSMContext, i18n: I18nContext
) -> None:
    """💬: a message to the observer of this copy."""
    await state.set_state(CoordinatorInput.message_to_observer)
    await drafts.start(
        state,
        CoordinatorDraft,
        {
            "level": callback_data.level,
            "precinct": callback_data.precinct,
            "protocol": callback_data.protocol,
        },
    )
    builder = InlineButtons()
    builder.button(
        text=i18n.get("case-button-back"),
        callback_data=callback_data.model_copy(update={"action": CaseAction.OPEN}),
    )
    await show(callback, i18n.get("case-ask-message"), builder.as_markup())


@router.message(CoordinatorInput.message_to_observer, F.text, ~F.text.startswith("/"))
async def message_typed(
    message: Message,
    bot: Bot,
    state: FSMContext,
    i18n: I18nContext,
    coordination: Coordination,
    election: Election,
    users: UserRepository,
) -> None:
    """Sent to the observer in their language, with a button to send a new version."""
    data = await drafts.read(state, CoordinatorDraft)
    text = await _typed_note(message, i18n)
    if text is None:
        return
    case = await coordination.load_case(election.slug, data.level, data.precinct)
    protocol = case.protocols.get(data.protocol) if case else None
    await state.clear()
    if case is None or protocol is None or protocol.observer_id is None:
        await message.answer(i18n.get("case-observer-gone"))
        return
    observer = await users.get(protocol.observer_id)
    locale = observer.language if observer and observer.language else i18n.locale
    with i18n.use_locale(locale):
        body = i18n.get(
            "case-message-to-observer",
            number=case.precinct.number,
            level=election.level(case.level).name.in_(locale),
            text=escaped_fit(text, 2400),
        )
        builder = InlineButtons()
        builder.button(
            text=i18n.get("protocol-button-start"),
            callback_data=ProtocolStepV1(step=ProtocolStep.START),
        )
    coordination.audit(
        message.chat.id,
        "message-to-observer",
        {"protocol": protocol.id, "observer": protocol.observer_id},
    )
    try:
        await bot.send_message(protocol.observer_id, body, reply_markup=builder.as_markup())
    except TelegramAPIError:
        await message.answer(i18n.get("case-observer-unreachable"))
        return
    await _show_case(
        message,
        i18n,
        coordination,
        election,
        data.level,
        data.precinct,
        i18n.get("case-message-sent"),
    )


@router.callback_query(CaseV1.filter(F.action == CaseAction.PHOTOS))
async def photos(
    callback: CallbackQuery,
    callback_data: CaseV1,
    callback_answer: CallbackAnswer,
    bot: Bot,
    i18n: I18nContext,
    coordination: Coordination,
    election: Election,
) -> None:
    """🖼: the copy's pages as an album (photos and files in separate albums, as Telegram wants)."""
    case = await coordination.load_case(election.slug, callback_data.level, callback_data.precinct)
    protocol = case.protocols.get(callback_data.protocol) if case else None
    if protocol is None or not protocol.photos:
        callback_answer.text = i18n.get("case-no-photos")
        callback_answer.show_alert = True
        return
    chat = callback.from_user.id
    as_photo = [page for page in protocol.photos if page.get("as") == "photo"]
    as_file = [page for page in protocol.photos if page.get("as") != "photo"]
    caption = i18n.get("case-photos-caption", number=case.precinct.number, version=protocol.version)  # type: ignore[union-attr]
    for pages, media in ((as_photo, InputMediaPhoto), (as_file, InputMediaDocument)):
        for start in range(0, len(pages), 10):
            chunk = pages[start : start + 10]
            if len(chunk) == 1:
                send = bot.send_photo if media is InputMediaPhoto else bot.send_document
                await send(chat, chunk[0]["file_id"], caption=caption)
            else:
                album = [
                    media(media=page["file_id"], caption=caption if i == 0 else None)
                    for i, page in enumerate(chunk)
                ]
                await bot.send_media_group(chat, album)  # type: ignore[arg-type]


# --- incidents -------------------------------------------------------------------------------


@router.callback_query(QueueV1.filter(F.kind == Queue.INCIDENTS))
async def incident_queue(
    callback: CallbackQuery,
    callback_data: QueueV1,
    i18n: I18nContext,
    coordination: Coordination,
    incident_catalog: IncidentCatalog,
    election: Election,
) -> None:
    """Incidents to verify: critical first, then oldest first."""
    items, total = await coordination.incident_queue(
        offset=callback_data.page * moderation.PAGE_SIZE
    )
    builder = InlineButtons()
    for incident, precinct in items:
        category = incident_catalog.category(incident.category)
        builder.button(
            text=i18n.get(
                "queue-incident-item",
                critical=1 if incident.severity == "critical" else 0,
                category=category.name.in_(i18n.locale) if category else incident.category,
                number=precinct.number,
                at=incident.occurred_at.astimezone(_zone(election)).strftime("%H:%M"),
            ),
            callback_data=IncidentCardV1(action=IncidentCardAction.OPEN, incident=incident.id),
        )
    paging = _pager(builder, callback_data, total)
    _home_button(builder, i18n)
    builder.adjust(*([1] * len(items)), *([paging] if paging else []), 1)
    page = i18n.get(
        "queue-page", page=callback_data.page + 1, pages=max(1, -(-total // moderation.PAGE_SIZE))
    )
    await show(
        callback,
        i18n.get("queue-title-incidents", count=total)
        + "\n"
        + (page if items else i18n.get("queue-empty")),
        builder.as_markup(),
    )


async def _show_incident(
    event: Screen,
    i18n: I18nContext,
    coordination: Coordination,
    incident_catalog: IncidentCatalog,
    election: Election,
    incident_id: int,
    notice: str = "",
) -> None:
    card = await coordination.incident_card(incident_id)
    if card is None:
        await show(event, i18n.get("case-not-found"))
        return
    incident, precinct, description = card
    coordination.audit(event.from_user.id, "view-incident", {"incident": incident_id})  # type: ignore[union-attr]
    category = incident_catalog.category(incident.category)
    location = (
        i18n.get(
            "incident-card-location",
            lat=f"{incident.latitude:.5f}",
            lon=f"{incident.longitude:.5f}",
        )
        if incident.latitude is not None and incident.longitude is not None
        else ""
    )
    text = i18n.get(
        "incident-card",
        category=html.escape(
            category.name.in_(i18n.locale) if category else incident.category, quote=False
        ),
        severity=i18n.get(f"incident-severity-{incident.severity}"),
        number=precinct.number,
        region=_region_name(i18n, precinct.region),
        at=incident.occurred_at.astimezone(_zone(election)).strftime("%d.%m %H:%M"),
        status=i18n.get(f"report-status-{incident.status}"),
        description=escaped_fit(description, 2400) or "—",
        evidence=len(incident.evidence),
        location=location,
    )
    builder = InlineButtons()
    data = {"incident": incident_id}
    builder.button(
        text=i18n.get("case-button-verify"),
        callback_data=IncidentCardV1(action=IncidentCardAction.VERIFY, **data),
    )
    builder.button(
        text=i18n.get("case-button-reject"),
        callback_data=IncidentCardV1(action=IncidentCardAction.REJECT, **data),
    )
    if incident.evidence:
        builder.button(
            text=i18n.get("incident-card-button-evidence", count=len(incident.evidence)),
            callback_data=IncidentCardV1(action=IncidentCardAction.EVIDENCE, **data),
        )
    builder.button(text=i18n.get("case-button-queue"), callback_data=QueueV1(kind=Queue.INCIDENTS))
    builder.adjust(2, 1, 1)
    await show(event, "\n\n".join(part for part in (notice, text) if part), builder.as_markup())


@router.callback_query(IncidentCardV1.filter(F.action == IncidentCardAction.OPEN))
async def open_incident(
    callback: CallbackQuery,
    callback_data: IncidentCardV1,
    i18n: I18nContext,
    coordination: Coordination,
    incident_catalog: IncidentCatalog,
    election: Election,
) -> None:
    """An incident's card: what, where, when, the observer's words, the evidence."""
    await _show_incident(
        callback, i18n, coordination, incident_catalog, election, callback_data.incident
    )


@router.callback_query(
    IncidentCardV1.filter(F.action.in_({IncidentCardAction.VERIFY, IncidentCardAction.REJECT}))
)
async def decide_incident(
    callback: CallbackQuery,
    callback_data: IncidentCardV1,
    callback_answer: CallbackAnswer,
    i18n: I18nContext,
    coordination: Coordination,
    incident_catalog: IncidentCatalog,
    election: Election,
) -> None:
    """Verified incidents are counted in the channel's summaries; rejected ones never."""
    verified = callback_data.action == IncidentCardAction.VERIFY
    try:
        row = await coordination.decide_incident(
            callback_data.incident, callback.from_user.id, verified
        )
    except DecisionRefused:
        refused(callback_answer, i18n)
        return
    notice = i18n.get("case-decided", status=i18n.get(f"report-status-{row.status}"))
    await _show_incident(
        callback, i18n, coordination, incident_catalog, election, callback_data.incident, notice
    )


@router.callback_query(IncidentCardV1.filter(F.action == IncidentCardAction.EVIDENCE))
async def evidence(
    callback: CallbackQuery,
    callback_data: IncidentCardV1,
    bot: Bot,
    i18n: I18nContext,
    coordination: Coordination,
) -> None:
    """The observer's photos, videos and files, copied to the coordinator."""
    card = await coordination.incident_card(callback_data.incident)
    if card is None:
        return
    for item in card[0].evidence:
        try:
            await send_evidence(bot, callback.from_user.id, item)
        except TelegramAPIError:
            await bot.send_message(callback.from_user.id, i18n.get("incident-card-evidence-gone"))


# --- observer requests -----------------------------------------------------------------------


@router.callback_query(QueueV1.filter(F.kind == Queue.OBSERVERS))
async def request_queue(
    callback: CallbackQuery, callback_data: QueueV1, i18n: I18nContext, coordination: Coordination
) -> None:
    """Registration requests waiting for a decision."""
    rows, total = await coordination.pending_observers(
        offset=callback_data.page * moderation.PAGE_SIZE
    )
    builder = InlineButtons()
    for row in rows:
        builder.button(
            text=i18n.get(
                "queue-request-item",
                at=row.requested_at.strftime("%d.%m %H:%M"),
                id=str(row.telegram_id),
            ),
            callback_data=CoordinatorV1(screen="request", value=str(row.telegram_id)),
        )
    paging = _pager(builder, callback_data, total)
    _home_button(builder, i18n)
    builder.adjust(*([1] * len(rows)), *([paging] if paging else []), 1)
    page = i18n.get(
        "queue-page", page=callback_data.page + 1, pages=max(1, -(-total // moderation.PAGE_SIZE))
    )
    await show(
        callback,
        i18n.get("queue-title-requests", count=total)
        + "\n"
        + (page if rows else i18n.get("queue-empty")),
        builder.as_markup(),
    )


@router.callback_query(CoordinatorV1.filter(F.screen == "request"))
async def request_card(
    callback: CallbackQuery,
    callback_data: CoordinatorV1,
    i18n: I18nContext,
    coordination: Coordination,
) -> None:
    """One request: name, phone, precincts (logged), with Approve and Reject."""
    if not (callback_data.value.isascii() and callback_data.value.isdigit()):
        return
    card = await coordination.observer_request(int(callback_data.value))
    if card is None:
        await show(callback, i18n.get("case-not-found"))
        return
    name, phone, precincts = card
    coordination.audit(
        callback.from_user.id,
        "view-observer-request",
        {"observer": int(callback_data.value)},
    )
    listed = "\n".join(
        i18n.get(
            "observer-precinct-line",
            number=p.number,
            region=_region_name(i18n, p.region),
            address=html.escape(p.address_kk if i18n.locale == "kk" else p.address_ru, quote=False),
        )
        for p in precincts
    )
    text = i18n.get(
        "observer-request-for-coordinators",
        name=html.escape(name, quote=False),
        phone=html.escape(phone, quote=False),
        id=callback_data.value,
        list=listed,
    )
    builder = InlineButtons()
    observer_id = int(callback_data.value)
    builder.button(
        text=i18n.get("observer-button-approve"),
        callback_data=ObserverDecisionV1(telegram_id=observer_id, approve=True),
    )
    builder.button(
        text=i18n.get("observer-button-reject"),
        callback_data=ObserverDecisionV1(telegram_id=observer_id, approve=False),
    )
    builder.button(text=i18n.get("case-button-queue"), callback_data=QueueV1(kind=Queue.OBSERVERS))
    builder.adjust(2, 1)
    await show(callback, text, builder.as_markup())


# --- what is missing -------------------------------------------------------------------------


@router.callback_query(CoordinatorV1.filter(F.screen == "missing"))
async def missing(
    callback: CallbackQuery, i18n: I18nContext, coordination: Coordination, election: Election
) -> None:
    """Per region: precincts nobody observes, observed precincts without a protocol per level,
    observers silent for a few hours."""
    gaps = await coordination.missing(election, utc_now() - timedelta(hours=SILENT_HOURS))
    lines = []
    for gap in sorted(gaps, key=lambda gap: _region_name(i18n, gap.region)):
        levels = ", ".join(
            f"{election.level(level).name.in_(i18n.locale)}: {count}"
            for level, count in gap.without_protocol.items()
        )
        lines.append(
            i18n.get(
                "missing-region",
                region=_region_name(i18n, gap.region),
                unobserved=gap.without_observer,
                levels=levels or "—",
                silent=gap.silent_observers,
            )
        )
    builder = InlineButtons()
    _home_button(builder, i18n)
    text = (
        i18n.get("missing-title", hours=SILENT_HOURS)
        + "\n\n"
        + ("\n".join(lines) if lines else i18n.get("missing-nothing"))
    )
    await show(callback, text, builder.as_markup())


# --- exports ---------------------------------------------------------------------------------


@router.callback_query(CoordinatorV1.filter(F.screen == "exports"))
async def exports_menu(callback: CallbackQuery, i18n: I18nContext) -> None:
    """What can be exported from the chat."""
    builder = InlineButtons()
    for what in ("protocols", "incidents", "observers", "discrepancies"):
        for export_format in ("csv", "xlsx"):
            builder.button(
                text=i18n.get("export-button", what=what, format=export_format.upper()),
                callback_data=CoordinatorV1(screen="export", value=f"{what}.{export_format}"),
            )
    _home_button(builder, i18n)
    builder.adjust(2, 2, 2, 2, 1)
    await show(callback, i18n.get("exports-title"), builder.as_markup())


@router.callback_query(CoordinatorV1.filter(F.screen == "export"))
async def export_file(
    callback: CallbackQuery,
    callback_data: CoordinatorV1,
    bot: Bot,
    i18n: I18nContext,
    coordination: Coordination,
    election: Election,
    incident_catalog: IncidentCatalog,
) -> None:
    """A file in the chat, without personal data (those exports are the CLI's, on the server)."""

    what, _, export_format = callback_data.value.partition(".")
    if what not in (
        "protocols",
        "incidents",
        "observers",
        "discrepancies",
    ) or export_format not in ("csv", "xlsx"):
        return
    content, rows = await coordination.export_bytes(
        election,
        incident_catalog,
        what,
        export_format,
        f"coordinator:{callback.from_user.id}",  # type: ignore[arg-type]
    )
    name = f"{what}-{election.slug}-{utc_now():%Y%m%d-%H%M}.{export_format}"
    await bot.send_document(
        callback.from_user.id,
        BufferedInputFile(content, filename=name),
        caption=i18n.get("export-done", rows=rows),
    )


# --- broadcasts ------------------------------------------------------------------------------

MAX_BROADCAST = 3000
_NUMBERS = re.compile(r"\d+")


@router.callback_query(CoordinatorV1.filter(F.screen == "broadcast"))
async def broadcast_audience(
    callback: CallbackQuery, state: FSMContext, i18n: I18nContext, election: Election
) -> None:
    """📣: to whom? Everyone, a region, some precincts, or those missing a protocol."""
    await state.clear()
    builder = InlineButtons()
    builder.button(text=i18n.get("broadcast-to-all"), callback_data=BroadcastV1(step="all"))
    builder.button(text=i18n.get("broadcast-to-region"), callback_data=BroadcastV1(step="regions"))
    builder.button(
        text=i18n.get("broadcast-to-precincts"), callback_data=BroadcastV1(step="numbers")
    )
    for level in election.levels:
        builder.button(
            text=i18n.get("broadcast-to-missing", level=level.name.in_(i18n.locale)),
            callback_data=BroadcastV1(step="missing", value=level.key),
        )
    _home_button(builder, i18n)
    builder.adjust(1)
    await show(callback, i18n.get("broadcast-ask-audience"), builder.as_markup())


async def _ask_broadcast_text(
    event: Screen, state: FSMContext, i18n: I18nContext, audience: Audience
) -> None:
    await state.set_state(CoordinatorInput.broadcast_text)
    await drafts.start(state, CoordinatorDraft, {"audience": audience.as_json()})
    builder = InlineButtons()
    builder.button(
        text=i18n.get("case-button-back"), callback_data=CoordinatorV1(screen="broadcast")
    )
    await show(event, i18n.get("broadcast-ask-text", limit=MAX_BROADCAST), builder.as_markup())


@router.callback_query(BroadcastV1.filter(F.step.in_({"all", "region", "missing"})))
async def broadcast_audience_chosen(
    callback: CallbackQuery,
    callback_data: BroadcastV1,
    state: FSMContext,
    i18n: I18nContext,
    election: Election,
) -> None:
    """Everyone, one region, or those who have not sent a level's protocol yet."""
    if callback_data.step == "region" and callback_data.value not in REGIONS:
        return
    if callback_data.step == "missing" and callback_data.value not in {
        lv.key for lv in election.levels
    }:
        return
    audience = {
        "all": Audience("all"),
        "region": Audience("region", region=callback_data.value),
        "missing": Audience("missing", level=callback_data.value, election=election.slug),
    }[callback_data.step]
    await _ask_broadcast_text(callback, state, i18n, audience)


@router.callback_query(BroadcastV1.filter(F.step == "regions"))
async def broadcast_regions(callback: CallbackQuery, i18n: I18nContext) -> None:
    """The regions, in the coordinator's alphabet."""
    builder = InlineButtons()
    for code in sorted(REGIONS, key=lambda code: _region_name(i18n, code)):
        builder.button(
            text=_region_name(i18n, code), callback_data=BroadcastV1(step="region", value=code)
        )
    builder.button(
        text=i18n.get("case-button-back"), callback_data=CoordinatorV1(screen="broadcast")
    )
    builder.adjust(2)
    await show(callback, i18n.get("queue-pick-region"), builder.as_markup())


@router.callback_query(BroadcastV1.filter(F.step == "numbers"))
async def broadcast_numbers(callback: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    """Precinct numbers, typed."""
    await state.set_state(CoordinatorInput.broadcast_numbers)
    builder = InlineButtons()
    builder.button(
        text=i18n.get("case-button-back"), callback_data=CoordinatorV1(screen="broadcast")
    )
    await show(callback, i18n.get("broadcast-ask-numbers"), builder.as_markup())


@router.message(CoordinatorInput.broadcast_numbers, F.text, ~F.text.startswith("/"))
async def broadcast_numbers_typed(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    """'12, 15 101' → those precincts' observers."""
    text = message.text or ""
    numbers = tuple(sorted({int(n) for n in _NUMBERS.findall(text) if n.isascii() and len(n) <= 6}))
    if not numbers or re.sub(r"[\d\s,;.№#-]", "", text):
        await message.answer(i18n.get("broadcast-numbers-invalid"))
        return
    await _ask_broadcast_text(message, state, i18n, Audience("precincts", numbers=numbers))


def _broadcast_body(i18n: I18nContext, locale: str, text: str) -> str:
    """The header in the recipient's language, then the coordinator's text as typed (escaped; not
    a Fluent placeable, which could not hold 3,000 characters of escaped text)."""
    with i18n.use_locale(locale):
        return i18n.get("broadcast-message") + "\n" + escaped_fit(text, 3900)


@router.message(CoordinatorInput.broadcast_text, F.text, ~F.text.startswith("/"))
async def broadcast_text_typed(
    message: Message, state: FSMContext, i18n: I18nContext, coordination: Coordination
) -> None:
    """The message: shown as observers will see it, with how many will get it."""
    text = (message.text or "").strip()
    if utf16_length(text) > MAX_BROADCAST:
        await message.answer(i18n.get("case-note-too-long", limit=MAX_BROADCAST))
        return
    data = await drafts.read(state, CoordinatorDraft)
    audience = Audience(**{**data.audience, "numbers": tuple(data.audience["numbers"])})
    recipients = await coordination.audience_ids(audience)
    await drafts.change(state, CoordinatorDraft, text=text)
    await state.set_state(CoordinatorInput.broadcast_confirm)
    builder = InlineButtons()
    if recipients:
        builder.button(
            text=i18n.get("broadcast-button-send", count=len(recipients)),
            callback_data=BroadcastV1(step="send"),
        )
    builder.button(
        text=i18n.get("broadcast-button-cancel"), callback_data=BroadcastV1(step="cancel")
    )
    builder.adjust(1)
    preview = (
        i18n.get("broadcast-preview", count=len(recipients))
        + "\n\n"
        + _broadcast_body(i18n, i18n.locale, text)
    )
    await message.answer(preview, reply_markup=builder.as_markup())


@router.callback_query(BroadcastV1.filter(F.step == "cancel"))
async def broadcast_cancel(callback: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    """✖: nothing is sent."""
    await state.clear()
    await show(callback, i18n.get("broadcast-cancelled"))


@router.callback_query(BroadcastV1.filter(F.step == "send"), CoordinatorInput.broadcast_confirm)
async def broadcast_send(
    callback: CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    coordination: Coordination,
    outbox: Any,
    unit_of_work: UnitOfWork,
) -> None:
    """📨: every recipient's message written to the outbox now, in their language; sent at
    Telegram's pace, with the progress shown here."""
    data = await drafts.read(state, CoordinatorDraft)
    await state.clear()
    audience = Audience(**{**data.audience, "numbers": tuple(data.audience["numbers"])})
    recipients = await coordination.audience_ids(audience)
    languages = await coordination.recipient_languages(recipients)
    bodies = {locale: _broadcast_body(i18n, locale, data.text) for locale in ("kk", "ru")}
    fallback = i18n.locale
    texts = {
        chat: bodies.get(languages.get(chat) or fallback, bodies[fallback]) for chat in recipients
    }
    broadcast = await coordination.create_broadcast(
        callback.from_user.id, audience, texts, None, data.text
    )
    coordination.audit(
        callback.from_user.id,
        "broadcast",
        {"broadcast": broadcast.id, "recipients": len(texts), **audience.as_json()},
    )
    progress = await show(
        callback,
        i18n.get("broadcast-progress", done=0, total=len(texts), sent=0, blocked=0, failed=0),
    )
    broadcast.progress_chat, broadcast.progress_message_id = (
        callback.from_user.id,
        progress.message_id,
    )
    if outbox is not None:
        unit_of_work.after_commit(outbox.wake)


# --- official results and discrepancies ------------------------------------------------------

TOP_DISCREPANCIES = 10


@router.callback_query(OfficialV1.filter(F.step == "home"))
async def official_home(
    callback: CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    coordination: Coordination,
    election: Election,
) -> None:
    """⚖: per level, the current official import; import a file or see the discrepancies."""
    await state.clear()
    lines = []
    builder = InlineButtons()
    for level in election.levels:
        imported = await coordination.import_summary(election.slug, level.key)
        name = level.name.in_(i18n.locale)
        lines.append(
            i18n.get(
                "official-level",
                level=name,
                rows=imported[0],
                at=imported[1].astimezone(_zone(election)).strftime("%d.%m %H:%M"),
            )
            if imported
            else i18n.get("official-level-none", level=name)
        )
        builder.button(
            text=i18n.get("official-button-import", level=name),
            callback_data=OfficialV1(step="import", level=level.key),
        )
        if imported:
            builder.button(
                text=i18n.get("official-button-report", level=name),
                callback_data=OfficialV1(step="report", level=level.key),
            )
    _home_button(builder, i18n)
    builder.adjust(1)
    await show(
        callback, i18n.get("official-title") + "\n\n" + "\n".join(lines), builder.as_markup()
    )


@router.callback_query(OfficialV1.filter(F.step == "import"))
async def official_import(
    callback: CallbackQuery,
    callback_data: OfficialV1,
    state: FSMContext,
    i18n: I18nContext,
    election: Election,
) -> None:
    """📥: send the file."""
    if callback_data.level not in {lv.key for lv in election.levels}:
        return
    await state.set_state(CoordinatorInput.official_file)
    await drafts.start(state, CoordinatorDraft, {"level": callback_data.level})
    columns = ", ".join(
        ["region", "number", *official_results.form_keys(election, callback_data.level)]
    )
    builder = InlineButtons()
    builder.button(text=i18n.get("case-button-back"), callback_data=OfficialV1(step="home"))
    text = i18n.get(
        "official-ask-file",
        level=election.level(callback_data.level).name.in_(i18n.locale),
        columns=columns,
    )
    await show(callback, text, builder.as_markup())


@router.message(CoordinatorInput.official_file, F.document)
async def official_file(
    message: Message,
    bot: Bot,
    state: FSMContext,
    i18n: I18nContext,
    coordination: Coordination,
    election: Election,
) -> None:
    """The file: imported whole, or every bad line listed and nothing imported."""
    document = message.document
    assert document is not None
    name = document.file_name or "official.csv"
    if not name.lower().endswith((".csv", ".xlsx")) or (document.file_size or 0) > 20 * 1024 * 1024:
        await message.answer(i18n.get("official-not-a-table"))
        return
    downloaded = await bot.download(document.file_id)
    content = downloaded.read() if downloaded is not None else b""
    level = (await drafts.read(state, CoordinatorDraft)).level
    try:
        rows = await coordination.import_official(
            election, level, content, name, f"coordinator:{message.chat.id}"
        )
    except official_results.ImportRefused as refused:
        listed = "\n".join(
            i18n.get(
                "official-error-line",
                line=error.line,
                problems="; ".join(
                    i18n.get(
                        f"official-error-{problem.code}",
                        **{k: html.escape(str(v), quote=False) for k, v in problem.params.items()},
                    )
                    for problem in error.problems
                ),
            )
            for error in refused.errors[:15]
        )
        more = len(refused.errors) - 15
        await message.answer(
            i18n.get(
                "official-refused", count=len(refused.errors), errors=listed, more=max(more, 0)
            )
        )
        return
    await state.clear()
    builder = InlineButtons()
    builder.button(
        text=i18n.get("official-button-report", level=election.level(level).name.in_(i18n.locale)),
        callback_data=OfficialV1(step="report", level=level),
    )
    builder.button(
        text=i18n.get("coordinator-button-official"), callback_data=OfficialV1(step="home")
    )
    builder.adjust(1)
    await message.answer(i18n.get("official-imported", rows=rows), reply_markup=builder.as_markup())


@router.message(CoordinatorInput.official_file, ~F.text.startswith("/"))
async def official_not_a_file(message: Message, i18n: I18nContext) -> None:
    """Text or a photo where the file is expected."""
    await message.answer(i18n.get("official-not-a-table"))


@router.callback_query(OfficialV1.filter(F.step == "report"))
async def discrepancy_report(
    callback: CallbackQuery,
    callback_data: OfficialV1,
    i18n: I18nContext,
    coordination: Coordination,
    election: Election,
) -> None:
    """⚖: the largest gaps first, votes moved per party; a button per precinct."""
    if callback_data.level not in {lv.key for lv in election.levels}:
        return
    report = await coordination.discrepancy_report(election, callback_data.level)
    moved = "\n".join(
        i18n.get(
            "official-moved-line",
            party=html.escape(election.party(party).name.in_(i18n.locale), quote=False),
            observed=report.observed_sum[f"votes.{party}"],
            official=report.official_sum[f"votes.{party}"],
            difference=f"{difference:+d}",
        )
        for party, difference in report.moved.items()
    )
    text = i18n.get(
        "official-report",
        level=election.level(callback_data.level).name.in_(i18n.locale),
        compared=report.compared,
        differing=len(report.precincts),
        moved=moved,
    )
    builder = InlineButtons()
    for item in report.precincts[:TOP_DISCREPANCIES]:
        builder.button(
            text=i18n.get(
                "official-precinct-item",
                number=item.number,
                region=_region_name(i18n, item.region),
                gap=item.gap,
            ),
            callback_data=OfficialV1(
                step="precinct", level=callback_data.level, precinct=item.precinct_id
            ),
        )
    builder.button(
        text=i18n.get("coordinator-button-official"), callback_data=OfficialV1(step="home")
    )
    builder.adjust(1)
    await show(callback, text, builder.as_markup())


@router.callback_query(OfficialV1.filter(F.step == "precinct"))
async def discrepancy_precinct(
    callback: CallbackQuery,
    callback_data: OfficialV1,
    i18n: I18nContext,
    coordination: Coordination,
    election: Election,
) -> None:
    """One precinct: every line, observed beside official; the protocol card (with its photos)."""
    if callback_data.level not in {lv.key for lv in election.levels}:
        return
    report = await coordination.discrepancy_report(
        election, callback_data.level, precinct_id=callback_data.precinct
    )
    item = next(iter(report.precincts), None)
    if item is None:
        await show(callback, i18n.get("case-not-found"))
        return
    labels = {
        line.key: election.label(line, i18n.locale)
        for line in election.form_for(callback_data.level)
    }
    lines = "\n".join(
        i18n.get(
            "official-line",
            mark="⚠ " if line.difference else "",
            label=html.escape(labels[line.key], quote=False),
            observed=line.observed,
            official=line.official,
            difference=f"{line.difference:+d}",
        )
        for line in item.lines
    )
    text = i18n.get(
        "official-precinct",
        number=item.number,
        region=_region_name(i18n, item.region),
        level=election.level(callback_data.level).name.in_(i18n.locale),
        lines=lines,
    )
    builder = InlineButtons()
    case = await coordination.load_case(election.slug, callback_data.level, item.precinct_id)
    for index, copy in enumerate(case.copies if case else []):
        if (
            copy.status != "rejected"
            and case is not None
            and case.protocols[copy.protocol_id].photos
        ):
            builder.button(
                text=f"{i18n.get('case-button-photos')} {LETTERS[index % len(LETTERS)]}",
                callback_data=CaseV1(
                    action=CaseAction.PHOTOS,
                    level=callback_data.level,
                    precinct=item.precinct_id,
                    protocol=copy.protocol_id,
                ),
            )
    builder.button(
        text=i18n.get("case-button-open"),
        callback_data=CaseV1(
            action=CaseAction.OPEN, level=callback_data.level, precinct=item.precinct_id
        ),
    )
    builder.button(
        text=i18n.get("case-button-back"),
        callback_data=OfficialV1(step="report", level=callback_data.level),
    )
    builder.adjust(1)
    await show(callback, text, builder.as_markup())
