"""Protocol journey: precinct → level → photos of every page (as photo or, better, as file)
→ OCR reads the lines (progress shown) → the observer confirms or corrects each line OCR is
unsure of, shown the crop of its cell → review with the control relations marked → correct any
line → confirm (a reason if a hard check fails) → stored as a new version, differences listed.
When OCR reads nothing (or times out), every line is typed instead.
"""

from __future__ import annotations

import base64
import html

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext

from handlers import drafts
from handlers.callbacks import ProtocolStep, ProtocolStepV1
from handlers.keyboards import (
    InlineButtons,
    become_an_observer,
    observer_actions,
    open_case_keyboard,
    own_precincts_keyboard,
)
from handlers.replies import notify_coordinators, show
from handlers.states import ProtocolSubmission
from models.drafts import AlbumNote, ProtocolDraft
from models.election import Election, Severity
from models.observer import ObserverStatus
from ocr.images import MIN_SIDE, ImageProblem, header_problem
from ocr.result import PROTOCOL_PAGES, protocol_form, recognize
from services.observers import ObserverService
from services.outgoing import CoordinatorAlerts
from services.precinct_results import ResultStatus
from services.protocol_checks import referenced_keys
from services.protocols import (
    ColumnRejected,
    CountProblem,
    CountRejected,
    ProtocolService,
    ProtocolStatus,
    Submitted,
    check_figures,
    header_precinct_differs,
    parse_column,
    parse_count,
    to_confirm,
)
from services.regions import region_message_id
from settings import Settings
from storage.precincts import PrecinctRepository

router = Router(name="protocols")
Screen = Message | CallbackQuery
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/heic", "image/heif"}
MAX_FILE_BYTES = 20 * 1024 * 1024  # what a bot may download from Telegram
MAX_REASON = 500


def _step(
    builder: InlineButtons,
    i18n: I18nContext,
    text_id: str,
    step: ProtocolStep,
    value: str = "",
) -> None:
    builder.button(text=i18n.get(text_id), callback_data=ProtocolStepV1(step=step, value=value))


def _cancel_row(builder: InlineButtons, i18n: I18nContext) -> None:
    _step(builder, i18n, "protocol-button-cancel", ProtocolStep.CANCEL)


# --- start: precinct and level ---------------------------------------------------------------


async def start_protocol(
    event: Screen,
    *,
    user_id: int,
    state: FSMContext,
    i18n: I18nContext,
    observers: ObserverService,
    election: Election,
) -> None:
    await state.clear()
    observer = await observers.observer(user_id)
    if observer is None or observer.status is not ObserverStatus.APPROVED or not observer.precincts:
        await show(event, i18n.get("protocol-only-observers"), become_an_observer(i18n))
        return
    await state.set_state(ProtocolSubmission.precinct)
    if len(observer.precincts) == 1:
        await _ask_level(
            event, state, i18n, election, observer.precincts[0].id, observer.precincts[0].region
        )
        return
    keyboard = own_precincts_keyboard(
        i18n,
        observer.precincts,
        lambda pid: ProtocolStepV1(step=ProtocolStep.PRECINCT, value=str(pid)),
        ProtocolStepV1(step=ProtocolStep.CANCEL),
    )
    await show(event, i18n.get("protocol-ask-precinct"), keyboard)


async def _ask_level(
    event: Screen,
    state: FSMContext,
    i18n: I18nContext,
    election: Election,
    precinct_id: int,
    region: str,
) -> None:
    await drafts.change(state, ProtocolDraft, precinct=precinct_id, photos=[])
    levels = [level for level in election.levels if region not in level.not_in_regions]
    await state.set_state(ProtocolSubmission.level)
    builder = InlineButtons()
    for level in levels:
        builder.button(
            text=level.name.in_(i18n.locale),
            callback_data=ProtocolStepV1(step=ProtocolStep.LEVEL, value=level.key),
        )
    _cancel_row(builder, i18n)
    builder.adjust(1)
    await show(event, i18n.get("protocol-ask-level"), builder.as_markup())


@router.message(Command("protocol"))
async def protocol_command(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    observers: ObserverService,
    election: Election,
) -> None:
    """/protocol: send a precinct's protocol (approved observers)."""
    await start_protocol(
        message,
        user_id=message.chat.id,
        state=state,
        i18n=i18n,
        observers=observers,
        election=election,
    )


@router.callback_query(ProtocolStepV1.filter(F.step == ProtocolStep.START))
async def protocol_button(
    callback: CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    observers: ObserverService,
    election: Election,
) -> None:
    """ "📄 Send a protocol" under the observer's status."""
    await start_protocol(
        callback,
        user_id=callback.from_user.id,
        state=state,
        i18n=i18n,
        observers=observers,
        election=election,
    )


@router.callback_query(
    ProtocolStepV1.filter(F.step == ProtocolStep.PRECINCT), ProtocolSubmission.precinct
)
async def precinct_chosen(
    callback: CallbackQuery,
    callback_data: ProtocolStepV1,
    state: FSMContext,
    i18n: I18nContext,
    observers: ObserverService,
    election: Election,
) -> None:
    """One of the observer's precincts (re-checked: callback data can be forged)."""
    observer = await observers.observer(callback.from_user.id)
    precinct = (
        next((p for p in observer.precincts if str(p.id) == callback_data.value), None)
        if observer
        else None
    )
    if precinct is None:
        return
    await _ask_level(callback, state, i18n, election, precinct.id, precinct.region)


@router.callback_query(
    ProtocolStepV1.filter(F.step == ProtocolStep.LEVEL), ProtocolSubmission.level
)
async def level_chosen(
    callback: CallbackQuery,
    callback_data: ProtocolStepV1,
    state: FSMContext,
    i18n: I18nContext,
    election: Election,
) -> None:
    """A level on the ballot."""
    if callback_data.value not in {level.key for level in election.levels}:
        return
    await drafts.change(state, ProtocolDraft, level=callback_data.value)
    await state.set_state(ProtocolSubmission.photos)
    builder = InlineButtons()
    _step(builder, i18n, "protocol-button-done", ProtocolStep.PHOTOS_DONE)
    _cancel_row(builder, i18n)
    await show(callback, i18n.get("protocol-ask-photos"), builder.as_markup())


# --- photos ----------------------------------------------------------------------------------


async def _page_received(
    message: Message, state: FSMContext, i18n: I18nContext, page: dict[str, str]
) -> None:
    """Adds the page; an album's pages are acknowledged in one message, edited as they come."""
    draft = await drafts.read(state, ProtocolDraft)
    builder = InlineButtons()
    _step(builder, i18n, "protocol-button-done", ProtocolStep.PHOTOS_DONE)
    _cancel_row(builder, i18n)
    if len(draft.photos) >= PROTOCOL_PAGES:
        # More pages than any protocol has: another document, or the same pages again.
        await message.answer(
            i18n.get("protocol-too-many-pages", most=PROTOCOL_PAGES),
            reply_markup=builder.as_markup(),
        )
        return
    draft.photos.append(page)
    pages = len(draft.photos)
    album = draft.album
    if album is None or message.media_group_id != album.group:
        album = None
        text = i18n.get("protocol-page-received", count=pages)
    else:
        text = i18n.get("protocol-pages-received", first=album.first, last=pages)
    # Written before the acknowledgement goes out: a page is never acknowledged and then lost.
    await drafts.write(state, draft)
    if album is not None:
        try:
            await message.bot.edit_message_text(  # type: ignore[union-attr]
                text,
                chat_id=message.chat.id,
                message_id=album.message_id,
                reply_markup=builder.as_markup(),
            )
            return
        except TelegramAPIError:  # the acknowledgement is gone: a new one says it all
            pass
    sent = await message.answer(text, reply_markup=builder.as_markup())
    draft.album = (
        AlbumNote(
            group=message.media_group_id,
            message_id=sent.message_id,
            first=album.first if album else pages,
        )
        if message.media_group_id
        else None
    )
    await drafts.write(state, draft)


async def _refuse_page(message: Message, i18n: I18nContext, problem: str) -> None:
    """Said when the page arrives, not after "Done": nothing was added."""
    await message.answer(
        i18n.get("protocol-page-refused", reason=i18n.get(f"protocol-problem-{problem}"))
    )


@router.message(ProtocolSubmission.photos, F.photo)
async def photo_page(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    """A page sent as a photo (Telegram recompresses it; the largest size is kept)."""
    largest = message.photo[-1]  # type: ignore[index]
    if min(largest.width, largest.height) < MIN_SIDE:
        await _refuse_page(message, i18n, ImageProblem.TOO_SMALL.value)
        return
    await _page_received(
        message,
        state,
        i18n,
        {"file_id": largest.file_id, "unique_id": largest.file_unique_id, "as": "photo"},
    )


@router.message(ProtocolSubmission.photos, F.document)
async def file_page(message: Message, bot: Bot, state: FSMContext, i18n: I18nContext) -> None:
    """A page sent as a file: full resolution, if it is an image of at most 20 MB that can be
    read."""
    document = message.document
    assert document is not None
    if (document.mime_type or "") not in IMAGE_TYPES:
        await message.answer(i18n.get("protocol-not-an-image"))
        return
    if (document.file_size or 0) > MAX_FILE_BYTES:
        await message.answer(i18n.get("protocol-file-too-large"))
        return
    downloaded = await bot.download(document.file_id)
    problem = header_problem(downloaded.read() if downloaded is not None else b"")
    if problem is not None:
        await _refuse_page(message, i18n, problem.value)
        return
    await _page_received(
        message,
        state,
        i18n,
        {"file_id": document.file_id, "unique_id": document.file_unique_id, "as": "file"},
    )


@router.message(ProtocolSubmission.photos, F.video | F.video_note | F.animation)
async def video_refused(message: Message, i18n: I18nContext) -> None:
    """A video where a photo of the protocol is needed."""
    await message.answer(i18n.get("protocol-video-refused"))


@router.message(ProtocolSubmission.photos, ~F.text.startswith("/"))
async def photo_expected(message: Message, i18n: I18nContext) -> None:
    """Text or anything else while pages are expected."""
    await message.answer(i18n.get("protocol-photo-expected"))


@router.callback_query(
    ProtocolStepV1.filter(F.step == ProtocolStep.PHOTOS_DONE), ProtocolSubmission.photos
)
async def photos_done(
    callback: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    i18n: I18nContext,
    election: Election,
    precincts: PrecinctRepository,
) -> None:
    """ "✅ Done" after the pages: recognition (with a progress message), then the figures."""
    data = await drafts.read(state, ProtocolDraft)
    if not data.photos:
        await bot.send_message(callback.from_user.id, i18n.get("protocol-no-photos-yet"))
        return
    # The progress message becomes the result: no "reading…" left behind once it is read.
    reading = await show(callback, i18n.get("protocol-reading", pages=len(data.photos)))
    pages = []
    for photo in data.photos:
        downloaded = await bot.download(photo["file_id"])
        if downloaded is not None:
            pages.append(downloaded.read())
    recognized = await recognize(pages, protocol_form(election, data.level))
    asked = to_confirm(recognized)
    # Which page could not be read and why, before anything else.
    notes = [
        i18n.get(
            "protocol-problem-page",
            page=problem.page,
            reason=i18n.get(f"protocol-problem-{problem.code}"),
        )
        if problem.page is not None
        else i18n.get(f"protocol-problem-{problem.code}")
        for problem in recognized.problems
    ]
    recognition = recognized.model_dump()  # kept in the draft, then with the protocol
    chosen = await precincts.get(data.precinct) if data.precinct is not None else None
    if chosen is not None:
        read = header_precinct_differs(recognition, chosen.number)
        if read is not None:
            notes.insert(0, i18n.get("protocol-precinct-differs", read=read, chosen=chosen.number))
    if not recognized.anything_read:
        await drafts.change(
            state,
            ProtocolDraft,
            figures=asked.figures,
            position=0,
            recognition=recognition,
            typed=[],
        )
        await show(callback, "\n".join([*notes, i18n.get("protocol-type-lines")]))
        await state.set_state(ProtocolSubmission.typing)
        await _ask_line(reading, state, i18n, election)
        return
    await drafts.change(
        state,
        ProtocolDraft,
        figures=asked.figures,
        position=0,
        recognition=recognition,
        typed=[],
        doubtful=asked.doubtful,
        doubt_position=0,
        crops=asked.crops,
        crop_pages=asked.crop_pages,
        other_row=asked.other_row,
    )
    summary = i18n.get(
        "protocol-read-summary",
        read=asked.read,
        total=len(recognized.lines),
        unsure=asked.unsure,
        unread=asked.unread,
        asked=len(asked.doubtful),
    )
    await show(callback, "\n\n".join([*notes, summary]))
    if not asked.doubtful:
        await _review(reading, state, i18n, election, precincts)
        return
    await state.set_state(ProtocolSubmission.checking)
    await _ask_doubtful(reading, bot, state, i18n, election)


def _chat_id(event: Screen) -> int:
    """Whose dialog this is: the chat of a message (the bot's own, when it goes on from one),
    the user who tapped a button."""
    return event.chat.id if isinstance(event, Message) else event.from_user.id


# --- confirming what OCR is unsure of --------------------------------------------------------


async def _ask_doubtful(
    event: Screen, bot: Bot, state: FSMContext, i18n: I18nContext, election: Election
) -> None:
    """One doubtful line: its cell as OCR saw it, what was read, and ✅ or a typed correction."""
    data = await drafts.read(state, ProtocolDraft)
    form = {line.key: line for line in election.form_for(data.level)}
    position, doubtful = data.doubt_position, data.doubtful
    key = doubtful[position]
    line = form[key]
    value = data.figures.get(key)
    other_row = key in data.other_row
    text = i18n.get(
        "protocol-check-line-other-row" if other_row else "protocol-check-line",
        line=line.line or position + 1,
        label=html.escape(election.label(line, i18n.locale), quote=False),
        value=value if value is not None else "none",
        position=position + 1,
        total=len(doubtful),
    )
    builder = InlineButtons()
    if value is not None and not other_row:
        builder.button(
            text=i18n.get("protocol-button-looks-right", value=value),
            callback_data=ProtocolStepV1(step=ProtocolStep.LOOKS_RIGHT, value=str(position)),
        )
    _step(builder, i18n, "protocol-button-all-at-once", ProtocolStep.ALL_AT_ONCE)
    if position > 0:
        _step(builder, i18n, "protocol-button-back", ProtocolStep.BACK)
    _cancel_row(builder, i18n)
    builder.adjust(1)
    crop = data.crops.get(key)
    user_id = _chat_id(event)
    page = data.crop_pages.get(key)
    photos = data.photos
    if crop:
        photo = BufferedInputFile(base64.b64decode(crop), filename=f"line-{line.line}.jpg")
        await bot.send_photo(user_id, photo, caption=text, reply_markup=builder.as_markup())
    elif page is not None and 0 < page <= len(photos):
        sent = photos[page - 1]
        if sent.get("as") == "file":
            await bot.send_document(
                user_id, sent["file_id"], caption=text, reply_markup=builder.as_markup()
            )
        else:
            await bot.send_photo(
                user_id, sent["file_id"], caption=text, reply_markup=builder.as_markup()
            )
    else:
        await show(event, text, builder.as_markup())


async def _next_doubtful(
    event: Screen,
    bot: Bot,
    state: FSMContext,
    i18n: I18nContext,
    election: Election,
    precincts: PrecinctRepository,
) -> None:
    data = await drafts.read(state, ProtocolDraft)
    position = data.doubt_position + 1
    await drafts.change(state, ProtocolDraft, doubt_position=position)
    if position >= len(data.doubtful):
        await _review(event, state, i18n, election, precincts)
        return
    await _ask_doubtful(event, bot, state, i18n, election)


@router.callback_query(
    ProtocolStepV1.filter(F.step == ProtocolStep.LOOKS_RIGHT), ProtocolSubmission.checking
)
async def looks_right(
    callback: CallbackQuery,
    callback_data: ProtocolStepV1,
    bot: Bot,
    state: FSMContext,
    i18n: I18nContext,
    election: Election,
    precincts: PrecinctRepository,
) -> None:
    """ "✅ Yes, 1234": the value read is what the protocol says."""
    data = await drafts.read(state, ProtocolDraft)
    if callback_data.value != str(data.doubt_position):
        return  # a button of an earlier question
    if data.doubtful[data.doubt_position] in data.other_row:
        # never offered for a value that may come from another row; a forged tap changes nothing
        return
    await _next_doubtful(callback, bot, state, i18n, election, precincts)


@router.callback_query(
    ProtocolStepV1.filter(F.step == ProtocolStep.BACK), ProtocolSubmission.checking
)
async def doubtful_back(
    callback: CallbackQuery, bot: Bot, state: FSMContext, i18n: I18nContext, election: Election
) -> None:
    """ "⬅ Back" to the previous doubtful line."""
    await drafts.change(
        state,
        ProtocolDraft,
        doubt_position=max(0, (await drafts.read(state, ProtocolDraft)).doubt_position - 1),
    )
    await _ask_doubtful(callback, bot, state, i18n, election)


@router.message(ProtocolSubmission.checking, F.text, ~F.text.startswith("/"))
async def doubtful_typed(
    message: Message,
    bot: Bot,
    state: FSMContext,
    i18n: I18nContext,
    election: Election,
    precincts: PrecinctRepository,
) -> None:
    """The right figure for a doubtful line, typed; refused with the reason if it is not one."""
    data = await drafts.read(state, ProtocolDraft)
    key = data.doubtful[data.doubt_position]
    figures: dict[str, int] = data.figures
    try:
        value = parse_count(message.text or "")
    except CountRejected as rejection:
        await message.answer(i18n.get(f"protocol-count-{rejection.problem.value}"))
        return
    figures[key] = value
    await drafts.change(state, ProtocolDraft, figures=figures, typed=sorted({*data.typed, key}))
    await _next_doubtful(message, bot, state, i18n, election, precincts)


@router.message(ProtocolSubmission.checking, ~F.text.startswith("/"))
async def doubtful_not_text(message: Message, i18n: I18nContext) -> None:
    """A photo or sticker where a figure or ✅ is expected."""
    await message.answer(i18n.get("protocol-count-not-a-number"))


# --- every figure in one message ------------------------------------------------------------


@router.callback_query(
    ProtocolStepV1.filter(F.step == ProtocolStep.ALL_AT_ONCE),
    ProtocolSubmission.typing,
)
@router.callback_query(
    ProtocolStepV1.filter(F.step == ProtocolStep.ALL_AT_ONCE),
    ProtocolSubmission.checking,
)
async def all_at_once(
    callback: CallbackQuery, bot: Bot, state: FSMContext, i18n: I18nContext, election: Election
) -> None:
    """ "⌨ All figures in one message": faster for someone reading from the paper. The lines
    are listed so the order is clear; what was read or typed so far stays until replaced."""
    came_from = await state.get_state()
    await drafts.change(state, ProtocolDraft, column_from=came_from)
    await state.set_state(ProtocolSubmission.column)
    form = election.form_for((await drafts.read(state, ProtocolDraft)).level)
    lines = "\n".join(
        f"{line.line or index + 1}. {html.escape(election.label(line, i18n.locale), quote=False)}"
        for index, line in enumerate(form)
    )
    text = i18n.get("protocol-all-at-once", total=len(form), lines=lines)
    if isinstance(callback.message, Message) and callback.message.text is not None:
        await show(callback, text, _column_keyboard(i18n))
    else:  # the question was a photo with a caption: a new message
        await bot.send_message(callback.from_user.id, text, reply_markup=_column_keyboard(i18n))


def _column_keyboard(i18n: I18nContext) -> InlineKeyboardMarkup:
    builder = InlineButtons()
    _step(builder, i18n, "protocol-button-one-by-one", ProtocolStep.ONE_BY_ONE)
    _cancel_row(builder, i18n)
    builder.adjust(1)
    return builder.as_markup()


@router.callback_query(
    ProtocolStepV1.filter(F.step == ProtocolStep.ONE_BY_ONE), ProtocolSubmission.column
)
async def one_by_one(
    callback: CallbackQuery, bot: Bot, state: FSMContext, i18n: I18nContext, election: Election
) -> None:
    """ "⬅ Line by line": the question the observer left, asked again at the bottom of the
    chat (the button may be on a message far above, under refused attempts)."""
    if not isinstance(callback.message, Message):
        return
    await callback.message.edit_reply_markup(reply_markup=None)
    if (await drafts.read(state, ProtocolDraft)).column_from == ProtocolSubmission.checking.state:
        await state.set_state(ProtocolSubmission.checking)
        await _ask_doubtful(callback.message, bot, state, i18n, election)
        return
    await state.set_state(ProtocolSubmission.typing)
    await _ask_line(callback.message, state, i18n, election)


@router.message(ProtocolSubmission.column, F.text, ~F.text.startswith("/"))
async def column_typed(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    election: Election,
    precincts: PrecinctRepository,
) -> None:
    """Every figure in one message: all shown on the review (with ✏ per line), or the whole
    message refused with where it went wrong, nothing replaced."""
    data = await drafts.read(state, ProtocolDraft)
    form = election.form_for(data.level)
    try:
        values = parse_column(message.text or "", len(form))
    except ColumnRejected as rejection:
        if rejection.line is None:
            reason = i18n.get("protocol-all-at-once-count", found=rejection.found, total=len(form))
        else:
            line = form[rejection.line - 1]
            problem = rejection.problem or CountProblem.NOT_A_NUMBER
            reason = i18n.get(
                "protocol-all-at-once-line",
                line=line.line or rejection.line,
                reason=i18n.get(f"protocol-count-{problem.value}"),
            )
        await message.answer(reason, reply_markup=_column_keyboard(i18n))
        return
    figures = {line.key: value for line, value in zip(form, values, strict=True)}
    await drafts.change(
        state, ProtocolDraft, figures=figures, typed=[line.key for line in form], editing=False
    )
    await _review(message, state, i18n, election, precincts)


# --- typing and correcting lines -------------------------------------------------------------


async def _ask_line(
    event: Screen, state: FSMContext, i18n: I18nContext, election: Election
) -> None:
    data = await drafts.read(state, ProtocolDraft)
    form = election.form_for(data.level)
    position = data.position
    line = form[position]
    builder = InlineButtons()
    if not data.editing:
        _step(builder, i18n, "protocol-button-all-at-once", ProtocolStep.ALL_AT_ONCE)
    if position > 0 and not data.editing:
        _step(builder, i18n, "protocol-button-back", ProtocolStep.BACK)
    _cancel_row(builder, i18n)
    builder.adjust(1)
    text = i18n.get(
        "protocol-ask-line",
        line=line.line or position + 1,
        label=html.escape(election.label(line, i18n.locale), quote=False),
        position=position + 1,
        total=len(form),
    )
    await show(event, text, builder.as_markup())


@router.callback_query(
    ProtocolStepV1.filter(F.step == ProtocolStep.BACK), ProtocolSubmission.typing
)
async def line_back(
    callback: CallbackQuery, state: FSMContext, i18n: I18nContext, election: Election
) -> None:
    """ "⬅ Back" to the previous line (its figure is kept until retyped)."""
    position = max(0, (await drafts.read(state, ProtocolDraft)).position - 1)
    await drafts.change(state, ProtocolDraft, position=position)
    await _ask_line(callback, state, i18n, election)


@router.message(ProtocolSubmission.typing, F.text, ~F.text.startswith("/"))
async def line_typed(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    election: Election,
    precincts: PrecinctRepository,
) -> None:
    """A figure: accepted as '1 234' or '1234'; anything else refused with the reason."""
    data = await drafts.read(state, ProtocolDraft)
    form = election.form_for(data.level)
    line = form[data.position]
    figures: dict[str, int] = data.figures
    try:
        value = parse_count(message.text or "")
    except CountRejected as rejection:
        await message.answer(i18n.get(f"protocol-count-{rejection.problem.value}"))
        return
    figures[line.key] = value
    position = data.position + 1
    await drafts.change(
        state,
        ProtocolDraft,
        figures=figures,
        position=position,
        typed=sorted({*data.typed, line.key}),
    )
    if data.editing or position >= len(form):
        await drafts.change(state, ProtocolDraft, editing=False)
        await _review(message, state, i18n, election, precincts)
        return
    await _ask_line(message, state, i18n, election)


@router.message(ProtocolSubmission.typing, ~F.text.startswith("/"))
async def line_not_text(message: Message, i18n: I18nContext) -> None:
    """A photo or sticker where a figure is expected."""
    await message.answer(i18n.get("protocol-count-not-a-number"))


async def _review(
    event: Screen,
    state: FSMContext,
    i18n: I18nContext,
    election: Election,
    precincts: PrecinctRepository,
) -> None:
    data = await drafts.read(state, ProtocolDraft)
    form = election.form_for(data.level)
    figures: dict[str, int] = data.figures
    results = check_figures(election, figures)
    failing = [r for r in results if not r.ok]
    suspect: set[str] = set()
    for result in failing:
        check = next(c for c in election.checks if c.id == result.id)
        if result.severity is Severity.HARD:
            suspect |= referenced_keys(check.holds, [line.key for line in form])
    lines = "\n".join(
        i18n.get(
            "protocol-review-line",
            mark="⚠ " if line.key in suspect else "",
            line=line.line or index + 1,
            label=html.escape(election.label(line, i18n.locale), quote=False),
            value=figures.get(line.key, "—"),
        )
        for index, line in enumerate(form)
    )
    precinct = await precincts.get(data.precinct)
    level = election.level(data.level).name.in_(i18n.locale)
    parts = [
        i18n.get(
            "protocol-review", number=precinct.number if precinct else "?", level=level, lines=lines
        )
    ]
    read = header_precinct_differs(data.recognition, precinct.number) if precinct else None
    if read is not None:
        parts.append(i18n.get("protocol-precinct-differs", read=read, chosen=precinct.number))
    hard = [f"• {i18n.get(r.message)}" for r in failing if r.severity is Severity.HARD]
    soft = [f"• {i18n.get(r.message)}" for r in failing if r.severity is Severity.SOFT]
    if hard:
        parts.append(i18n.get("protocol-review-problems", problems="\n".join(hard)))
    if soft:
        parts.append(i18n.get("protocol-review-notes", notes="\n".join(soft)))
    if not hard:
        parts.append(i18n.get("protocol-review-ok"))
    parts.append(i18n.get("protocol-review-hint"))
    await state.set_state(ProtocolSubmission.review)
    builder = InlineButtons()
    for index, line in enumerate(form):
        builder.button(
            text=f"✏ {line.line or index + 1}",
            callback_data=ProtocolStepV1(step=ProtocolStep.EDIT, value=str(index)),
        )
    _step(builder, i18n, "protocol-button-confirm", ProtocolStep.CONFIRM)
    _cancel_row(builder, i18n)
    builder.adjust(*([5] * (len(form) // 5)), *([len(form) % 5] if len(form) % 5 else []), 1, 1)
    await show(event, "\n\n".join(parts), builder.as_markup())


@router.callback_query(ProtocolStepV1.filter(F.step == ProtocolStep.EDIT))
async def edit_line(
    callback: CallbackQuery,
    callback_data: ProtocolStepV1,
    state: FSMContext,
    i18n: I18nContext,
    election: Election,
) -> None:
    """ "✏ n" on the review (or after a failed check): retype that line, then back to the review."""
    if await state.get_state() not in (
        ProtocolSubmission.review.state,
        ProtocolSubmission.reason.state,
    ):
        return
    form = election.form_for((await drafts.read(state, ProtocolDraft)).level)
    index = (
        int(callback_data.value)
        if callback_data.value.isascii() and callback_data.value.isdigit()
        else -1
    )
    if not 0 <= index < len(form):
        return
    await drafts.change(state, ProtocolDraft, position=index, editing=True)
    await state.set_state(ProtocolSubmission.typing)
    await _ask_line(callback, state, i18n, election)


@router.callback_query(ProtocolStepV1.filter(F.step == ProtocolStep.FIX), ProtocolSubmission.reason)
async def back_to_review(
    callback: CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    election: Election,
    precincts: PrecinctRepository,
) -> None:
    """ "✏ Correct lines" instead of giving a reason."""
    await _review(callback, state, i18n, election, precincts)


# --- confirming and storing ------------------------------------------------------------------


@router.callback_query(
    ProtocolStepV1.filter(F.step == ProtocolStep.CONFIRM), ProtocolSubmission.review
)
async def confirm(
    callback: CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    election: Election,
    protocols: ProtocolService,
    settings: Settings,
    precincts: PrecinctRepository,
    coordinator_alerts: CoordinatorAlerts,
) -> None:
    """ "✅ All correct": stored, unless a hard check fails; then a reason is asked first."""
    figures = (await drafts.read(state, ProtocolDraft)).figures
    if any(not r.ok and r.severity is Severity.HARD for r in check_figures(election, figures)):
        await state.set_state(ProtocolSubmission.reason)
        builder = InlineButtons()
        _step(builder, i18n, "protocol-button-fix", ProtocolStep.FIX)
        _cancel_row(builder, i18n)
        await show(callback, i18n.get("protocol-ask-reason"), builder.as_markup())
        return
    await _store(
        callback,
        state,
        i18n,
        election,
        protocols,
        settings,
        precincts,
        coordinator_alerts,
        reason=None,
    )


@router.message(ProtocolSubmission.reason, F.text, ~F.text.startswith("/"))
async def reason_typed(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    election: Election,
    protocols: ProtocolService,
    settings: Settings,
    precincts: PrecinctRepository,
    coordinator_alerts: CoordinatorAlerts,
) -> None:
    """Why the figures that do not add up are kept: the protocol says so."""
    reason = (message.text or "").strip()
    if len(reason) > MAX_REASON:
        await message.answer(i18n.get("protocol-reason-too-long"))
        return
    await _store(
        message,
        state,
        i18n,
        election,
        protocols,
        settings,
        precincts,
        coordinator_alerts,
        reason=reason,
    )


async def _store(
    event: Screen,
    state: FSMContext,
    i18n: I18nContext,
    election: Election,
    protocols: ProtocolService,
    settings: Settings,
    precincts: PrecinctRepository,
    coordinator_alerts: CoordinatorAlerts,
    reason: str | None,
) -> None:
    data = await drafts.read(state, ProtocolDraft)
    user_id = event.from_user.id  # type: ignore[union-attr]
    form = election.form_for(data.level)
    figures: dict[str, int] = {line.key: data.figures[line.key] for line in form}
    submitted = await protocols.submit(
        election,
        data.level,
        data.precinct,
        user_id,
        figures,
        data.photos,
        data.typed,
        reason,
        recognition=data.recognition,
    )
    await state.clear()
    labels = {line.key: election.label(line, i18n.locale) for line in form}
    differences = "\n".join(
        i18n.get(
            "protocol-difference-line",
            label=html.escape(labels.get(key, key), quote=False),
            old=str(old if old is not None else "—"),
            new=str(new if new is not None else "—"),
        )
        for key, old, new in submitted.differences
    )
    flagged = submitted.status is ProtocolStatus.FLAGGED
    conflict = submitted.result is ResultStatus.CONFLICT
    text = i18n.get(
        "protocol-saved-conflict"
        if conflict
        else "protocol-saved-flagged"
        if flagged
        else "protocol-saved",
        version=submitted.version,
    )
    if submitted.differences:
        text += "\n\n" + i18n.get(
            "protocol-differences", previous=submitted.version - 1, list=differences
        )
    if submitted.needs_coordinator:  # queued in this transaction, before the observer is told
        await _tell_coordinators(
            i18n,
            settings,
            election,
            data,
            submitted,
            differences,
            figures,
            precincts,
            coordinator_alerts,
        )
    await show(event, text, observer_actions(i18n))


async def _tell_coordinators(
    i18n: I18nContext,
    settings: Settings,
    election: Election,
    data: dict,
    submitted: Submitted,
    differences: str,
    figures: dict[str, int],
    precincts: PrecinctRepository,
    coordinator_alerts: CoordinatorAlerts,
) -> None:
    """A notice with what is wrong and a button to the case; the queue keeps it if missed."""
    precinct = await precincts.get(data.precinct)
    with i18n.use_locale(settings.i18n.default_locale):
        failing = [
            f"• {i18n.get(r.message)}"
            for r in check_figures(election, figures)
            if not r.ok and r.severity is Severity.HARD
        ]
        if submitted.result is ResultStatus.CONFLICT:
            failing.append(i18n.get("protocol-conflict-for-coordinators"))
        details = "\n".join(failing + ([differences] if differences else []))
        text = i18n.get(
            "protocol-for-coordinators",
            number=precinct.number if precinct else "?",
            region=i18n.get(region_message_id(precinct.region)) if precinct else "?",
            level=election.level(data.level).name.in_(i18n.locale),
            version=submitted.version,
            details=details,
        )
        keyboard = open_case_keyboard(i18n, data.level, data.precinct)
    await notify_coordinators(coordinator_alerts, text, keyboard)


@router.callback_query(ProtocolStepV1.filter(F.step == ProtocolStep.CANCEL))
async def cancel_protocol(callback: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    """ "✖ Cancel" anywhere in the protocol journey."""
    await state.clear()
    await show(callback, i18n.get("protocol-cancelled"), observer_actions(i18n))
