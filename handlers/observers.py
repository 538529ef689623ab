"""Observer registration: invite code (or a request for approval) → full name → own phone →
region → precinct number (address shown to confirm), one or more → review → submit.
Coordinators approve or reject requests with buttons, re-checked server-side."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from handlers import drafts
from handlers.callbacks import (
    MenuItem,
    MenuV1,
    ObserverDecisionV1,
    ObserverStep,
    ObserverStepV1,
)
from handlers.entries import entry
from handlers.keyboards import InlineButtons, main_menu_keyboard, observer_actions
from handlers.replies import show
from handlers.states import ObserverRegistration
from models.deep_link import DeepLink, DeepLinkKind
from models.drafts import RegistrationDraft
from models.observer import ObserverStatus, PrecinctRef
from models.tables import PrecinctRow
from services.observers import ObserverService, Registration, normalize_code
from services.outgoing import CoordinatorAlerts
from services.personal_data import PersonalDataCipher
from services.regions import REGIONS, region_message_id, regions_in_order
from services.signatures import NameRejected, clean_signer_name
from settings import Settings
from storage.precincts import PrecinctRepository
from storage.users import UserRepository

router = Router(name="observers")
Screen = Message | CallbackQuery


def _step(
    builder: InlineButtons,
    i18n: I18nContext,
    text_id: str,
    step: ObserverStep,
    value: str = "",
) -> None:
    builder.button(text=i18n.get(text_id), callback_data=ObserverStepV1(step=step, value=value))


def _precinct_lines(i18n: I18nContext, precincts: Sequence[PrecinctRow | PrecinctRef]) -> str:
    return "\n".join(
        i18n.get(
            "observer-precinct-line",
            number=p.number,
            region=i18n.get(region_message_id(p.region)),
            address=html.escape(p.address_kk if i18n.locale == "kk" else p.address_ru, quote=False),
        )
        for p in precincts
    )


async def _chosen(state: FSMContext, precincts: PrecinctRepository) -> list[PrecinctRow]:
    ids = (await drafts.read(state, RegistrationDraft)).precincts
    rows = [await precincts.get(precinct_id) for precinct_id in ids]
    return [row for row in rows if row is not None]


# --- entry -----------------------------------------------------------------------------------


@entry(DeepLinkKind.OBSERVER_INVITE)
async def open_invite_link(
    target: Message,
    link: DeepLink,
    *,
    user_id: int,
    state: FSMContext,
    i18n: I18nContext,
    observers: ObserverService,
    **_: Any,
) -> None:
    """An invite link: registration with its code."""
    await begin_registration(
        target, user_id=user_id, state=state, i18n=i18n, observers=observers, code=link.value
    )


async def begin_registration(
    event: Screen,
    *,
    user_id: int,
    state: FSMContext,
    i18n: I18nContext,
    observers: ObserverService,
    code: str | None = None,
) -> None:
    """Where the user stands: registered, waiting, or starting (with a code from a link)."""
    await state.clear()
    current = await observers.observer(user_id)
    if current is not None and current.status is ObserverStatus.APPROVED:
        text = i18n.get("observer-status-approved", list=_precinct_lines(i18n, current.precincts))
        await show(event, text, observer_actions(i18n))
        return
    if current is not None and current.status is ObserverStatus.PENDING:
        await show(event, i18n.get("observer-status-pending"), main_menu_keyboard(i18n, False))
        return
    if current is not None and current.status is ObserverStatus.REJECTED:
        await event.bot.send_message(user_id, i18n.get("observer-status-rejected"))  # type: ignore[union-attr]
    if code is not None:
        problem = await observers.invite_problem(code)
        if problem is None:
            await state.set_state(ObserverRegistration.name)
            await drafts.start(
                state, RegistrationDraft, {"code": normalize_code(code), "precincts": []}
            )
            await show(
                event, i18n.get("observer-code-accepted") + "\n" + i18n.get("observer-ask-name")
            )
            return
        await event.bot.send_message(user_id, i18n.get(f"observer-code-{problem.value}"))  # type: ignore[union-attr]
    await state.set_state(ObserverRegistration.code)
    await drafts.start(state, RegistrationDraft, {"precincts": []})
    await show(event, i18n.get("observer-ask-code"), _code_keyboard(i18n))


def _code_keyboard(i18n: I18nContext) -> InlineKeyboardMarkup:
    """Under the code question and under a code that did not work: the way on without one."""
    builder = InlineButtons()
    _step(builder, i18n, "observer-button-request", ObserverStep.NO_CODE)
    _step(builder, i18n, "observer-button-cancel", ObserverStep.CANCEL)
    builder.adjust(1)
    return builder.as_markup()


@router.message(Command("observer"))
async def observer_command(
    message: Message, state: FSMContext, i18n: I18nContext, observers: ObserverService
) -> None:
    """/observer: register as an observer, or see where the registration stands."""
    await begin_registration(
        message, user_id=message.chat.id, state=state, i18n=i18n, observers=observers
    )


@router.callback_query(MenuV1.filter(F.item == MenuItem.OBSERVER))
async def observer_button(
    callback: CallbackQuery, state: FSMContext, i18n: I18nContext, observers: ObserverService
) -> None:
    """Menu → For observers."""
    await begin_registration(
        callback, user_id=callback.from_user.id, state=state, i18n=i18n, observers=observers
    )


@router.callback_query(ObserverStepV1.filter(F.step == ObserverStep.CANCEL))
async def cancel_registration(
    callback: CallbackQuery, state: FSMContext, i18n: I18nContext, is_coordinator: bool
) -> None:
    """ "✖ Cancel" anywhere in the registration: nothing is kept."""
    await state.clear()
    await show(callback, i18n.get("observer-cancelled"), main_menu_keyboard(i18n, is_coordinator))


# --- code, name, phone -----------------------------------------------------------------------


@router.message(ObserverRegistration.code, F.text, ~F.text.startswith("/"))
async def code_typed(
    message: Message, state: FSMContext, i18n: I18nContext, observers: ObserverService
) -> None:
    """An invite code, typed."""
    problem = await observers.invite_problem(message.text or "")
    if problem is not None:
        await message.answer(
            i18n.get(f"observer-code-{problem.value}"), reply_markup=_code_keyboard(i18n)
        )
        return
    await drafts.change(state, RegistrationDraft, code=normalize_code(message.text or ""))
    await state.set_state(ObserverRegistration.name)
    await message.answer(i18n.get("observer-code-accepted") + "\n" + i18n.get("observer-ask-name"))


@router.callback_query(
    ObserverStepV1.filter(F.step == ObserverStep.NO_CODE), ObserverRegistration.code
)
async def no_code(callback: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    """ "Request approval without a code"."""
    await state.set_state(ObserverRegistration.name)
    await show(callback, i18n.get("observer-ask-name"))


@router.message(ObserverRegistration.name, F.text, ~F.text.startswith("/"))
async def name_typed(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    cipher: PersonalDataCipher,
    precincts: PrecinctRepository,
) -> None:
    """The observer's full name."""
    try:
        name = clean_signer_name(message.text or "")
    except NameRejected as rejection:
        await message.answer(i18n.get(f"petition-name-{rejection.problem.value}"))
        return
    await drafts.change(state, RegistrationDraft, name=cipher.seal(name))
    if (await drafts.read(state, RegistrationDraft)).reviewing:
        await _to_review(message, state, i18n, precincts, cipher)
        return
    await _ask_phone(message, state, i18n)


async def _ask_phone(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(ObserverRegistration.phone)
    keyboard = ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=i18n.get("observer-button-share-phone"), request_contact=True)]
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
    await message.answer(i18n.get("observer-ask-phone"), reply_markup=keyboard)


@router.message(ObserverRegistration.phone, F.contact)
async def phone_shared(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    cipher: PersonalDataCipher,
    observers: ObserverService,
    precincts: PrecinctRepository,
) -> None:
    """The contact button: only the observer's own number."""
    contact = message.contact
    if contact is None or message.from_user is None or contact.user_id != message.from_user.id:
        await message.answer(i18n.get("observer-phone-not-own"))
        return
    await drafts.change(state, RegistrationDraft, phone=cipher.seal(contact.phone_number))
    await message.answer(i18n.get("observer-phone-received"), reply_markup=ReplyKeyboardRemove())
    if (await drafts.read(state, RegistrationDraft)).reviewing:
        await _to_review(message, state, i18n, precincts, cipher)
        return
    await _ask_where(message, state, i18n, observers, precincts)


@router.message(ObserverRegistration.phone, ~F.text.startswith("/"))
async def phone_other(message: Message, i18n: I18nContext) -> None:
    """Anything but the contact where the phone was expected."""
    await message.answer(i18n.get("observer-phone-not-own"))


# --- precincts: region → district → number -------------------------------------------------

# A district's precincts offered as buttons up to this many; beyond, the number is typed.
NUMBER_BUTTONS = 40


async def _ask_where(
    event: Screen,
    state: FSMContext,
    i18n: I18nContext,
    observers: ObserverService,
    precincts: PrecinctRepository,
) -> None:
    """The next precinct: its region, unless the invite is bound to one (then its district)."""
    bound = await observers.invite_region((await drafts.read(state, RegistrationDraft)).code)
    if bound is not None:
        await drafts.change(state, RegistrationDraft, region=bound, bound=True)
        await _ask_district(event, state, i18n, precincts)
        return
    await _ask_region(event, state, i18n)


async def _ask_region(event: Screen, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(ObserverRegistration.region)
    builder = InlineButtons()
    for code in regions_in_order(lambda code: i18n.get(region_message_id(code)), i18n.locale):
        _step(builder, i18n, region_message_id(code), ObserverStep.REGION, code)
    _step(builder, i18n, "observer-button-cancel", ObserverStep.CANCEL)
    builder.adjust(2)
    await show(event, i18n.get("observer-ask-region"), builder.as_markup())


async def _ask_district(
    event: Screen, state: FSMContext, i18n: I18nContext, precincts: PrecinctRepository
) -> None:
    """The region's districts as buttons (or, with one district, straight to the number); a
    number typed here is taken too: numbers are unique within a region."""
    data = await drafts.read(state, RegistrationDraft)
    region = data.region
    await state.set_state(ObserverRegistration.precinct)
    districts = await precincts.districts(region)
    builder = InlineButtons()
    region_name = i18n.get(region_message_id(region))
    if len(districts) > 1:
        for index, (kazakh, russian) in enumerate(districts):
            builder.button(
                text=kazakh if i18n.locale == "kk" else russian,  # the directory's own name
                callback_data=ObserverStepV1(step=ObserverStep.DISTRICT, value=str(index)),
            )
        text = i18n.get("observer-ask-district", region=region_name)
    else:
        text = i18n.get("observer-ask-precinct", region=region_name)
    if not data.bound:
        _step(builder, i18n, "observer-button-other-region", ObserverStep.OTHER_REGION)
    _step(builder, i18n, "observer-button-cancel", ObserverStep.CANCEL)
    builder.adjust(1)
    await show(event, text, builder.as_markup())


@router.callback_query(
    ObserverStepV1.filter(F.step == ObserverStep.REGION), ObserverRegistration.region
)
async def region_chosen(
    callback: CallbackQuery,
    callback_data: ObserverStepV1,
    state: FSMContext,
    i18n: I18nContext,
    precincts: PrecinctRepository,
) -> None:
    """A region button."""
    if callback_data.value not in REGIONS:
        return
    await drafts.change(state, RegistrationDraft, region=callback_data.value)
    await _ask_district(callback, state, i18n, precincts)


@router.callback_query(
    ObserverStepV1.filter(F.step == ObserverStep.DISTRICT), ObserverRegistration.precinct
)
async def district_chosen(
    callback: CallbackQuery,
    callback_data: ObserverStepV1,
    state: FSMContext,
    i18n: I18nContext,
    precincts: PrecinctRepository,
) -> None:
    """A district button: its precinct numbers to tap (or type)."""
    region = (await drafts.read(state, RegistrationDraft)).region
    districts = await precincts.districts(region)
    index = int(callback_data.value) if callback_data.value.isdigit() else -1
    if not 0 <= index < len(districts):  # the directory changed under an old button
        await _ask_district(callback, state, i18n, precincts)
        return
    kazakh, russian = districts[index]
    rows = await precincts.in_district(region, russian, NUMBER_BUTTONS + 1)
    builder = InlineButtons()
    numbers = rows if len(rows) <= NUMBER_BUTTONS else []
    for row in numbers:
        builder.button(
            text=f"№ {row.number}",
            callback_data=ObserverStepV1(step=ObserverStep.NUMBER, value=str(row.id)),
        )
    _step(builder, i18n, "observer-button-districts", ObserverStep.DISTRICTS)
    _step(builder, i18n, "observer-button-cancel", ObserverStep.CANCEL)
    builder.adjust(*([4] * ((len(numbers) + 3) // 4)), 1, 1)
    district = kazakh if i18n.locale == "kk" else russian
    text = i18n.get(
        "observer-ask-precinct-in-district" if numbers else "observer-ask-precinct-typed",
        district=html.escape(district, quote=False),
    )
    await show(callback, text, builder.as_markup())


@router.callback_query(
    ObserverStepV1.filter(F.step.in_({ObserverStep.DISTRICTS, ObserverStep.OTHER_NUMBER})),
    ObserverRegistration.precinct,
)
async def back_to_districts(
    callback: CallbackQuery, state: FSMContext, i18n: I18nContext, precincts: PrecinctRepository
) -> None:
    """ "⬅ Districts" or "✏ Another number": the region's districts (or its number) again."""
    await _ask_district(callback, state, i18n, precincts)


@router.message(ObserverRegistration.precinct, F.text, ~F.text.startswith("/"))
async def precinct_typed(
    message: Message, state: FSMContext, i18n: I18nContext, precincts: PrecinctRepository
) -> None:
    """A precinct number: looked up in the directory, its address shown to confirm."""
    typed = "".join((message.text or "").split()).lstrip("№#")
    data = await drafts.read(state, RegistrationDraft)
    region_name = i18n.get(region_message_id(data.region))
    if not (typed.isascii() and typed.isdigit()) or len(typed) > 5:
        await message.answer(i18n.get("observer-precinct-not-number"))
        return
    row = await precincts.find(data.region, int(typed))
    if row is None:
        builder = InlineButtons()
        _step(builder, i18n, "observer-button-districts", ObserverStep.DISTRICTS)
        if not data.bound:
            _step(builder, i18n, "observer-button-other-region", ObserverStep.OTHER_REGION)
        await message.answer(
            i18n.get("observer-precinct-not-found", number=int(typed), region=region_name),
            reply_markup=builder.as_markup(),
        )
        return
    await _confirm_precinct(message, i18n, row)


@router.callback_query(
    ObserverStepV1.filter(F.step == ObserverStep.NUMBER), ObserverRegistration.precinct
)
async def number_tapped(
    callback: CallbackQuery,
    callback_data: ObserverStepV1,
    state: FSMContext,
    i18n: I18nContext,
    precincts: PrecinctRepository,
) -> None:
    """A precinct number button in a district."""
    row = await precincts.get(int(callback_data.value or 0))
    if row is None or row.region != (await drafts.read(state, RegistrationDraft)).region:
        await _ask_district(callback, state, i18n, precincts)
        return
    await _confirm_precinct(callback, i18n, row)


async def _confirm_precinct(event: Screen, i18n: I18nContext, row: PrecinctRow) -> None:
    """The precinct's district and address: the observer says whether it is theirs."""
    builder = InlineButtons()
    _step(builder, i18n, "observer-button-yes", ObserverStep.CONFIRM_PRECINCT, str(row.id))
    _step(builder, i18n, "observer-button-other-number", ObserverStep.OTHER_NUMBER)
    kazakh = i18n.locale == "kk"
    text = i18n.get(
        "observer-precinct-confirm",
        number=row.number,
        district=html.escape(row.district_kk if kazakh else row.district_ru, quote=False),
        address=html.escape(row.address_kk if kazakh else row.address_ru, quote=False),
    )
    await show(event, text, builder.as_markup())


@router.callback_query(
    ObserverStepV1.filter(F.step.in_({ObserverStep.OTHER_REGION, ObserverStep.ADD_PRECINCT}))
)
async def other_region(
    callback: CallbackQuery,
    callback_data: ObserverStepV1,
    state: FSMContext,
    i18n: I18nContext,
    observers: ObserverService,
    precincts: PrecinctRepository,
) -> None:
    """ "🗺 Another region" or "➕ Add a precinct"."""
    if await state.get_state() not in (
        ObserverRegistration.precinct.state,
        ObserverRegistration.more.state,
    ):
        return
    if callback_data.step is ObserverStep.ADD_PRECINCT:
        await _ask_where(callback, state, i18n, observers, precincts)
        return
    await _ask_region(callback, state, i18n)


@router.callback_query(
    ObserverStepV1.filter(F.step == ObserverStep.CONFIRM_PRECINCT), ObserverRegistration.precinct
)
async def precinct_confirmed(
    callback: CallbackQuery,
    callback_data: ObserverStepV1,
    state: FSMContext,
    i18n: I18nContext,
    precincts: PrecinctRepository,
) -> None:
    """ "✅ Yes, that is my precinct"."""
    row = await precincts.get(int(callback_data.value or 0))
    if row is None:
        return
    chosen = (await drafts.read(state, RegistrationDraft)).precincts
    if row.id not in chosen:
        chosen.append(row.id)
    await drafts.change(state, RegistrationDraft, precincts=chosen)
    await state.set_state(ObserverRegistration.more)
    builder = InlineButtons()
    _step(builder, i18n, "observer-button-add-precinct", ObserverStep.ADD_PRECINCT)
    _step(builder, i18n, "observer-button-done", ObserverStep.DONE)
    await show(
        callback,
        i18n.get(
            "observer-precincts-chosen", list=_precinct_lines(i18n, await _chosen(state, precincts))
        ),
        builder.as_markup(),
    )


# --- review, with a jump back to each field ---------------------------------------------------


@router.callback_query(
    ObserverStepV1.filter(F.step == ObserverStep.DONE), ObserverRegistration.more
)
async def review(
    callback: CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    precincts: PrecinctRepository,
    cipher: PersonalDataCipher,
) -> None:
    """ "✅ Done": the whole request, to check before sending."""
    await _to_review(callback, state, i18n, precincts, cipher)


async def _to_review(
    event: Screen,
    state: FSMContext,
    i18n: I18nContext,
    precincts: PrecinctRepository,
    cipher: PersonalDataCipher,
) -> None:
    data = await drafts.read(state, RegistrationDraft)
    await state.set_state(ObserverRegistration.review)
    # From here on, an edited field comes back to this screen instead of going on.
    await drafts.change(state, RegistrationDraft, reviewing=True)
    builder = InlineButtons()
    _step(builder, i18n, "observer-button-edit-name", ObserverStep.EDIT_NAME)
    _step(builder, i18n, "observer-button-edit-phone", ObserverStep.EDIT_PHONE)
    _step(builder, i18n, "observer-button-edit-precincts", ObserverStep.EDIT_PRECINCTS)
    _step(builder, i18n, "observer-button-submit", ObserverStep.SUBMIT)
    _step(builder, i18n, "observer-button-cancel", ObserverStep.CANCEL)
    builder.adjust(3, 1, 1)
    text = i18n.get(
        "observer-review",
        name=html.escape(cipher.unseal(data.name), quote=False),
        phone=html.escape(cipher.unseal(data.phone), quote=False),
        list=_precinct_lines(i18n, await _chosen(state, precincts)),
    )
    await show(event, text, builder.as_markup())


@router.callback_query(
    ObserverStepV1.filter(F.step == ObserverStep.EDIT_NAME), ObserverRegistration.review
)
async def edit_name(callback: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    """ "✏ Name" on the review: typed again, then back to the review."""
    await state.set_state(ObserverRegistration.name)
    await show(callback, i18n.get("observer-ask-name"))


@router.callback_query(
    ObserverStepV1.filter(F.step == ObserverStep.EDIT_PHONE), ObserverRegistration.review
)
async def edit_phone(callback: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    """ "✏ Phone" on the review: shared again (a contact button needs a new message)."""
    if isinstance(callback.message, Message):
        await _ask_phone(callback.message, state, i18n)


@router.callback_query(
    ObserverStepV1.filter(F.step == ObserverStep.EDIT_PRECINCTS), ObserverRegistration.review
)
async def edit_precincts(
    callback: CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    observers: ObserverService,
    precincts: PrecinctRepository,
) -> None:
    """ "✏ Precincts" on the review: chosen again from the start, then ✅ Done to the review."""
    await drafts.change(state, RegistrationDraft, precincts=[])
    await _ask_where(callback, state, i18n, observers, precincts)


# --- submitting and deciding -----------------------------------------------------------------


@router.callback_query(
    ObserverStepV1.filter(F.step == ObserverStep.SUBMIT), ObserverRegistration.review
)
async def submit(
    callback: CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    observers: ObserverService,
    precincts: PrecinctRepository,
    cipher: PersonalDataCipher,
    settings: Settings,
    coordinator_alerts: CoordinatorAlerts,
) -> None:
    """ "📨 Send": approved at once with a valid invite, otherwise sent to the coordinators."""
    data = await drafts.read(state, RegistrationDraft)
    user_id = callback.from_user.id
    chosen = await _chosen(state, precincts)
    name, phone = cipher.unseal(data.name), cipher.unseal(data.phone)
    status = await observers.register(
        user_id,
        Registration(
            name=name,
            phone=phone,
            precinct_ids=[p.id for p in chosen],
            invite_code=data.code,
        ),
    )
    await state.clear()
    if status is ObserverStatus.APPROVED:
        await show(
            callback,
            i18n.get("observer-registered", list=_precinct_lines(i18n, chosen)),
            observer_actions(i18n),
        )
        return
    await _ask_coordinators(
        i18n, settings, observers, user_id, name, phone, chosen, coordinator_alerts
    )
    await show(
        callback,
        i18n.get("observer-request-sent"),
        main_menu_keyboard(i18n, settings.is_coordinator(user_id)),
    )


async def _ask_coordinators(
    i18n: I18nContext,
    settings: Settings,
    observers: ObserverService,
    user_id: int,
    name: str,
    phone: str,
    chosen: list[PrecinctRow],
    coordinator_alerts: CoordinatorAlerts,
) -> None:
    locale = settings.i18n.default_locale
    with i18n.use_locale(locale):
        text = i18n.get(
            "observer-request-for-coordinators",
            name=html.escape(name, quote=False),
            phone=html.escape(phone, quote=False),
            id=str(user_id),
            list=_precinct_lines(i18n, chosen),
        )
        builder = InlineButtons()
        builder.button(
            text=i18n.get("observer-button-approve"),
            callback_data=ObserverDecisionV1(telegram_id=user_id, approve=True),
        )
        builder.button(
            text=i18n.get("observer-button-reject"),
            callback_data=ObserverDecisionV1(telegram_id=user_id, approve=False),
        )
    markup = builder.as_markup().model_dump(mode="json", exclude_none=True)
    await observers.ask_coordinators(user_id, coordinator_alerts, text, markup)


@router.callback_query(ObserverDecisionV1.filter())
async def decision(
    callback: CallbackQuery,
    callback_data: ObserverDecisionV1,
    callback_answer: CallbackAnswer,
    bot: Bot,
    i18n: I18nContext,
    observers: ObserverService,
    users: UserRepository,
    is_coordinator: bool,
    settings: Settings,
) -> None:
    """Approve or Reject under a request, in the coordinators' chat."""
    if not is_coordinator:
        callback_answer.text = i18n.get("coordinator-only")
        callback_answer.show_alert = True
        return
    status = await observers.decide(
        callback_data.telegram_id, callback_data.approve, callback.from_user.id
    )
    if status is None:
        callback_answer.text = i18n.get("observer-already-decided")
        return
    approved = status is ObserverStatus.APPROVED
    if isinstance(callback.message, Message) and callback.message.text is not None:
        verdict = i18n.get(
            "observer-decision-approved" if approved else "observer-decision-rejected"
        )
        await callback.message.edit_text(callback.message.html_text + "\n\n" + verdict)
    observer = await users.get(callback_data.telegram_id)
    with i18n.use_locale(observer.language if observer and observer.language else i18n.locale):
        # What to do next, in the observer's language: their first protocol, or the menu.
        await bot.send_message(
            callback_data.telegram_id,
            i18n.get("observer-approved-notice" if approved else "observer-rejected-notice"),
            reply_markup=observer_actions(i18n)
            if approved
            else main_menu_keyboard(i18n, settings.is_coordinator(callback_data.telegram_id)),
        )
