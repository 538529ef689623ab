"""Petition journey: list → intro → each demand (n/N, Back, I agree) → name → region
→ [own phone] → review → signed, with share and withdraw.

Every step re-checks the dialog state server-side: callback data comes from the user, and old
buttons stay tappable in the chat history.
"""

from __future__ import annotations

import html
from datetime import date, datetime
from typing import Any
from urllib.parse import quote
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
from handlers.callbacks import MenuItem, MenuV1, PetitionAction, PetitionV1, RegionV1
from handlers.entries import entry
from handlers.keyboards import InlineButtons, main_menu_keyboard
from handlers.replies import show
from handlers.states import PetitionSigning
from models.deep_link import DeepLink, DeepLinkKind
from models.drafts import SignatureDraft
from models.petition import Petition
from services.deep_links import petition_payload
from services.personal_data import PersonalDataCipher
from services.petition_catalog import demand_screen, intro_screen, name_prompt_screen
from services.regions import REGIONS, region_message_id, regions_in_order
from services.signatures import NameRejected, SignatureService, SignOutcome, clean_signer_name
from services.texts import local_date
from settings import Settings

router = Router(name="petitions")
Screen = Message | CallbackQuery


# --- small helpers ---------------------------------------------------------------------------


def _today(settings: Settings) -> date:
    return datetime.now(ZoneInfo(settings.election.timezone)).date()


def _translate(i18n: I18nContext):
    return lambda message_id, locale, **arguments: i18n.get(message_id, locale, **arguments)


def _button(
    builder: InlineButtons,
    i18n: I18nContext,
    text_id: str,
    action: PetitionAction,
    slug: str = "",
    index: int = 0,
) -> None:
    builder.button(
        text=i18n.get(text_id), callback_data=PetitionV1(action=action, slug=slug, index=index)
    )


async def share_link(bot: Bot, slug: str, code: str) -> str:
    me = await bot.me()
    return f"https://t.me/{me.username}?start={petition_payload(slug, code)}"


async def _petition_or_list(
    event: Screen,
    slug: str,
    i18n: I18nContext,
    petitions: dict[str, Petition],
    signatures: SignatureService,
    settings: Settings,
) -> Petition | None:
    """The petition a button names; if it is gone (renamed, removed), the list instead."""
    petition = petitions.get(slug)
    if petition is None:
        await show_petition_list(
            event, i18n, petitions, signatures, settings, heading_id="petition-unknown"
        )
    return petition


async def _draft(state: FSMContext, slug: str, *expected: Any) -> dict[str, Any] | None:
    """The signing draft for this petition if the user is in one of the expected steps."""
    if await state.get_state() not in {s.state for s in expected}:
        return None
    data = await drafts.read(state, SignatureDraft)
    return data if data.slug == slug else None


# --- list ------------------------------------------------------------------------------------


async def show_petition_list(
    event: Screen,
    i18n: I18nContext,
    petitions: dict[str, Petition],
    signatures: SignatureService,
    settings: Settings,
    heading_id: str = "petitions-list-title",
) -> None:
    today = _today(settings)
    open_petitions = [petition for petition in petitions.values() if petition.is_open(today)]
    counts = await signatures.counts([petition.slug for petition in open_petitions])
    builder = InlineButtons()
    for petition in open_petitions:
        builder.button(
            text=i18n.get(
                "petition-button-item",
                title=petition.text(i18n.locale).short_title,
                count=counts.get(petition.slug, 0),
            ),
            callback_data=PetitionV1(action=PetitionAction.OPEN, slug=petition.slug),
        )
    builder.button(text=i18n.get("button-menu"), callback_data=MenuV1(item=MenuItem.HOME))
    builder.adjust(1)
    text = i18n.get(heading_id) if open_petitions else i18n.get("petitions-list-empty")
    await show(event, text, builder.as_markup())


@router.message(Command("petitions"))
async def petitions_command(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    petitions: dict[str, Petition],
    signatures: SignatureService,
    settings: Settings,
) -> None:
    """/petitions: the open petitions with their live counts."""
    await state.clear()
    await show_petition_list(message, i18n, petitions, signatures, settings)


@router.callback_query(MenuV1.filter(F.item == MenuItem.PETITIONS))
@router.callback_query(PetitionV1.filter(F.action == PetitionAction.LIST))
async def petitions_button(
    callback: CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    petitions: dict[str, Petition],
    signatures: SignatureService,
    settings: Settings,
) -> None:
    """Menu → Petitions, or "⬅ To petitions"."""
    await state.clear()
    await show_petition_list(callback, i18n, petitions, signatures, settings)


# --- intro -----------------------------------------------------------------------------------


async def show_intro(
    event: Screen,
    petition: Petition,
    *,
    user_id: int,
    bot: Bot,
    state: FSMContext,
    i18n: I18nContext,
    signatures: SignatureService,
    settings: Settings,
    referral: str | None = None,
) -> None:
    count = await signatures.count(petition.slug)
    text = intro_screen(petition, i18n.locale, _translate(i18n), count)
    builder = InlineButtons()
    mine = await signatures.current(petition.slug, user_id)
    today = _today(settings)
    await state.clear()
    if mine is not None:
        text += "\n\n" + i18n.get("petition-signed-on", date=local_date(mine.signed_at, settings))
        await _signed_buttons(builder, i18n, bot, petition, signatures, user_id)
    elif not petition.is_open(today):
        if petition.closes is not None and petition.closes < today:
            text += "\n\n" + i18n.get(
                "petition-closed", date=local_date(petition.closes, settings), count=count
            )
        else:
            text += "\n\n" + i18n.get(
                "petition-not-open", date=local_date(petition.opens, settings)
            )
    else:
        await state.set_state(PetitionSigning.reading)
        await drafts.start(
            state, SignatureDraft, {"slug": petition.slug, "referral": referral, "agreed": 0}
        )
        _button(builder, i18n, "petition-button-read", PetitionAction.READ, petition.slug, 0)
    _button(builder, i18n, "petition-button-list", PetitionAction.LIST)
    builder.adjust(1)
    await show(event, text, builder.as_markup())


async def _signed_buttons(
    builder: InlineButtons,
    i18n: I18nContext,
    bot: Bot,
    petition: Petition,
    signatures: SignatureService,
    user_id: int,
) -> str:
    link = await share_link(bot, petition.slug, await signatures.referral_code(user_id))
    share_text = i18n.get("petition-share-text", title=petition.text(i18n.locale).short_title)
    builder.button(
        text=i18n.get("petition-button-share"),
        url=f"https://t.me/share/url?url={quote(link, safe='')}&text={quote(share_text, safe='')}",
    )
    _button(builder, i18n, "petition-button-withdraw", PetitionAction.WITHDRAW, petition.slug)
    return link


@entry(DeepLinkKind.PETITION)
async def open_from_deep_link(
    target: Message,
    link: DeepLink,
    *,
    user_id: int,
    bot: Bot,
    state: FSMContext,
    i18n: I18nContext,
    petitions: dict[str, Petition],
    signatures: SignatureService,
    settings: Settings,
    **_: Any,
) -> None:
    """A shared petition link: straight to that petition, remembering who shared it."""
    petition = await _petition_or_list(target, link.value, i18n, petitions, signatures, settings)
    if petition is None:
        return
    await show_intro(
        target,
        petition,
        user_id=user_id,
        bot=bot,
        state=state,
        i18n=i18n,
        signatures=signatures,
        settings=settings,
        referral=link.referral,
    )


@router.callback_query(PetitionV1.filter(F.action == PetitionAction.OPEN))
async def open_petition(
    callback: CallbackQuery,
    callback_data: PetitionV1,
    bot: Bot,
    state: FSMContext,
    i18n: I18nContext,
    petitions: dict[str, Petition],
    signatures: SignatureService,
    settings: Settings,
) -> None:
    """A petition in the list (or "No, keep it" after Withdraw)."""
    petition = await _petition_or_list(
        callback, callback_data.slug, i18n, petitions, signatures, settings
    )
    if petition is None:
        return
    signing = (await state.get_state() or "").startswith(PetitionSigning.__full_group_name__)
    referral = (await drafts.read(state, SignatureDraft)).referral if signing else None
    await show_intro(
        callback,
        petition,
        user_id=callback.from_user.id,
        bot=bot,
        state=state,
        i18n=i18n,
        signatures=signatures,
        settings=settings,
        referral=referral,
    )


# --- demands ---------------------------------------------------------------------------------


async def _show_demand(event: Screen, petition: Petition, index: int, i18n: I18nContext) -> None:
    builder = InlineButtons()
    if index == 0:
        _button(builder, i18n, "petition-button-back", PetitionAction.OPEN, petition.slug)
    else:
        _button(
            builder, i18n, "petition-button-back", PetitionAction.READ, petition.slug, index - 1
        )
    _button(builder, i18n, "petition-button-agree", PetitionAction.AGREE, petition.slug, index)
    _button(builder, i18n, "petition-button-cancel", PetitionAction.CANCEL, petition.slug)
    builder.adjust(2, 1)
    await show(
        event, demand_screen(petition, i18n.locale, _translate(i18n), index), builder.as_markup()
    )


async def _show_name_prompt(event: Screen, petition: Petition, i18n: I18nContext) -> None:
    builder = InlineButtons()
    _button(
        builder,
        i18n,
        "petition-button-back",
        PetitionAction.READ,
        petition.slug,
        petition.demand_count - 1,
    )
    _button(builder, i18n, "petition-button-cancel", PetitionAction.CANCEL, petition.slug)
    await show(
        event, name_prompt_screen(petition, i18n.locale, _translate(i18n)), builder.as_markup()
    )


async def _resume(
    callback: CallbackQuery,
    petition: Petition,
    bot: Bot,
    state: FSMContext,
    i18n: I18nContext,
    signatures: SignatureService,
    settings: Settings,
) -> None:
    """A button from a dialog the user is no longer in: back to the petition's intro."""
    await show_intro(
        callback,
        petition,
        user_id=callback.from_user.id,
        bot=bot,
        state=state,
        i18n=i18n,
        signatures=signatures,
        settings=settings,
    )


@router.callback_query(PetitionV1.filter(F.action.in_({PetitionAction.READ, PetitionAction.AGREE})))
async def demand_step(
    callback: CallbackQuery,
    callback_data: PetitionV1,
    bot: Bot,
    state: FSMContext,
    i18n: I18nContext,
    petitions: dict[str, Petition],
    signatures: SignatureService,
    settings: Settings,
) -> None:
    """Read demand n, or agree to it and go on (to the next demand, or to signing)."""
    petition = await _petition_or_list(
        callback, callback_data.slug, i18n, petitions, signatures, settings
    )
    if petition is None:
        return
    draft = await _draft(state, petition.slug, PetitionSigning.reading, PetitionSigning.name)
    if draft is None or not petition.is_open(_today(settings)):
        await _resume(callback, petition, bot, state, i18n, signatures, settings)
        return
    agreed = int(draft.agreed)
    index = max(0, min(callback_data.index, petition.demand_count - 1))
    if callback_data.action == PetitionAction.AGREE:
        if index > agreed:  # demands are agreed in order; show the one that is due
            await _show_demand(callback, petition, agreed, i18n)
            return
        agreed = max(agreed, index + 1)
        await drafts.change(state, SignatureDraft, agreed=agreed)
        if agreed >= petition.demand_count and index == petition.demand_count - 1:
            await state.set_state(PetitionSigning.name)
            await _show_name_prompt(callback, petition, i18n)
            return
        index += 1
    await state.set_state(PetitionSigning.reading)
    await _show_demand(callback, petition, min(index, agreed), i18n)


# --- name, region, phone ---------------------------------------------------------------------


@router.message(PetitionSigning.name, F.text, ~F.text.startswith("/"))
async def name_typed(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    petitions: dict[str, Petition],
    cipher: PersonalDataCipher,
) -> None:
    """The signer's name, as it should be counted."""
    try:
        name = clean_signer_name(message.text or "")
    except NameRejected as rejection:
        await message.answer(i18n.get(f"petition-name-{rejection.problem.value}"))
        return
    data = await drafts.read(state, SignatureDraft)
    petition = petitions[data.slug]
    await drafts.change(state, SignatureDraft, name=cipher.seal(name))
    if data.region:  # changing the name from the review screen
        await _to_review(message, state, petition, i18n, cipher)
        return
    await state.set_state(PetitionSigning.region)
    await _show_regions(message, petition, i18n)


@router.message(PetitionSigning.name, ~F.text.startswith("/"))
async def name_not_text(message: Message, i18n: I18nContext) -> None:
    """A sticker, photo or contact where the name was expected."""
    await message.answer(i18n.get("petition-name-empty"))


async def _show_regions(event: Screen, petition: Petition, i18n: I18nContext) -> None:
    builder = InlineButtons()
    for code in regions_in_order(lambda code: i18n.get(region_message_id(code)), i18n.locale):
        builder.button(
            text=i18n.get(region_message_id(code)),
            callback_data=RegionV1(slug=petition.slug, code=code),
        )
    _button(builder, i18n, "petition-button-back", PetitionAction.NAME, petition.slug)
    _button(builder, i18n, "petition-button-cancel", PetitionAction.CANCEL, petition.slug)
    builder.adjust(*([2] * (len(REGIONS) // 2)), *([1] if len(REGIONS) % 2 else []), 2)
    await show(event, i18n.get("petition-ask-region"), builder.as_markup())


@router.callback_query(PetitionV1.filter(F.action == PetitionAction.NAME))
async def change_name(
    callback: CallbackQuery,
    callback_data: PetitionV1,
    bot: Bot,
    state: FSMContext,
    i18n: I18nContext,
    petitions: dict[str, Petition],
    signatures: SignatureService,
    settings: Settings,
) -> None:
    """ "⬅ Back" from the regions, or "✏ Name" on the review: type the name again."""
    petition = await _petition_or_list(
        callback, callback_data.slug, i18n, petitions, signatures, settings
    )
    if petition is None:
        return
    draft = await _draft(
        state, petition.slug, PetitionSigning.region, PetitionSigning.confirm, PetitionSigning.phone
    )
    if draft is None:
        await _resume(callback, petition, bot, state, i18n, signatures, settings)
        return
    if await state.get_state() == PetitionSigning.region.state:
        await drafts.change(state, SignatureDraft, region=None)
    await state.set_state(PetitionSigning.name)
    await _show_name_prompt(callback, petition, i18n)


@router.callback_query(PetitionV1.filter(F.action == PetitionAction.REGION))
async def change_region(
    callback: CallbackQuery,
    callback_data: PetitionV1,
    bot: Bot,
    state: FSMContext,
    i18n: I18nContext,
    petitions: dict[str, Petition],
    signatures: SignatureService,
    settings: Settings,
) -> None:
    """ "✏ Region" on the review screen."""
    petition = await _petition_or_list(
        callback, callback_data.slug, i18n, petitions, signatures, settings
    )
    if petition is None:
        return
    if await _draft(state, petition.slug, PetitionSigning.confirm, PetitionSigning.phone) is None:
        await _resume(callback, petition, bot, state, i18n, signatures, settings)
        return
    await state.set_state(PetitionSigning.region)
    await _show_regions(callback, petition, i18n)


@router.callback_query(RegionV1.filter())
async def region_chosen(
    callback: CallbackQuery,
    callback_data: RegionV1,
    bot: Bot,
    state: FSMContext,
    i18n: I18nContext,
    petitions: dict[str, Petition],
    signatures: SignatureService,
    settings: Settings,
    cipher: PersonalDataCipher,
) -> None:
    """A region button."""
    petition = await _petition_or_list(
        callback, callback_data.slug, i18n, petitions, signatures, settings
    )
    if petition is None or callback_data.code not in REGIONS:
        return
    draft = await _draft(state, petition.slug, PetitionSigning.region)
    if draft is None or not draft.name:
        await _resume(callback, petition, bot, state, i18n, signatures, settings)
        return
    await drafts.change(state, SignatureDraft, region=callback_data.code)
    if petition.phone_verification and not draft.phone_hash:
        await state.set_state(PetitionSigning.phone)
        await show(
            callback,
            i18n.get("petition-ask-region") + " " + i18n.get(region_message_id(callback_data.code)),
        )
        keyboard = ReplyKeyboardMarkup(
            keyboard=[
                [
                    KeyboardButton(
                        text=i18n.get("petition-button-share-phone"), request_contact=True
                    )
                ],
                [KeyboardButton(text=i18n.get("petition-button-back"))],
            ],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
        await bot.send_message(
            callback.from_user.id, i18n.get("petition-ask-phone"), reply_markup=keyboard
        )
        return
    await _to_review(callback, state, petition, i18n, cipher)


@router.message(PetitionSigning.phone, F.contact)
async def phone_shared(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    petitions: dict[str, Petition],
    signatures: SignatureService,
    cipher: PersonalDataCipher,
) -> None:
    """The contact button: only the user's own number counts."""
    contact = message.contact
    if contact is None or message.from_user is None or contact.user_id != message.from_user.id:
        await message.answer(i18n.get("petition-phone-not-own"))
        return
    data = await drafts.read(state, SignatureDraft)
    await drafts.change(
        state, SignatureDraft, phone_hash=signatures.phone_hash(contact.phone_number)
    )
    await message.answer(i18n.get("petition-phone-received"), reply_markup=ReplyKeyboardRemove())
    await _to_review(message, state, petitions[data.slug], i18n, cipher)


@router.message(PetitionSigning.phone, ~F.text.startswith("/"))
async def phone_step_other(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    petitions: dict[str, Petition],
) -> None:
    """ "⬅ Back" under the input field, or anything that is not the contact."""
    if message.text == i18n.get("petition-button-back"):
        data = await drafts.read(state, SignatureDraft)
        await state.set_state(PetitionSigning.region)
        await message.answer(i18n.get("petition-ask-region"), reply_markup=ReplyKeyboardRemove())
        await _show_regions(message, petitions[data.slug], i18n)
        return
    await message.answer(i18n.get("petition-phone-not-own"))


# --- review and signing ----------------------------------------------------------------------


async def _to_review(
    event: Screen,
    state: FSMContext,
    petition: Petition,
    i18n: I18nContext,
    cipher: PersonalDataCipher,
) -> None:
    data = await drafts.read(state, SignatureDraft)
    await state.set_state(PetitionSigning.confirm)
    text = i18n.get(
        "petition-confirm",
        title=html.escape(petition.text(i18n.locale).short_title, quote=False),
        name=html.escape(cipher.unseal(data.name), quote=False),
        region=i18n.get(region_message_id(data.region)),
        phone=1 if data.phone_hash else 0,
    )
    builder = InlineButtons()
    _button(builder, i18n, "petition-button-sign", PetitionAction.SIGN, petition.slug)
    _button(builder, i18n, "petition-button-edit-name", PetitionAction.NAME, petition.slug)
    _button(builder, i18n, "petition-button-edit-region", PetitionAction.REGION, petition.slug)
    _button(builder, i18n, "petition-button-cancel", PetitionAction.CANCEL, petition.slug)
    builder.adjust(1, 2, 1)
    await show(event, text, builder.as_markup())


@router.callback_query(PetitionV1.filter(F.action == PetitionAction.SIGN))
async def sign(
    callback: CallbackQuery,
    callback_data: PetitionV1,
    bot: Bot,
    state: FSMContext,
    i18n: I18nContext,
    petitions: dict[str, Petition],
    signatures: SignatureService,
    settings: Settings,
    cipher: PersonalDataCipher,
) -> None:
    """ "✍ Sign" on the review screen."""
    petition = await _petition_or_list(
        callback, callback_data.slug, i18n, petitions, signatures, settings
    )
    if petition is None:
        return
    draft = await _draft(state, petition.slug, PetitionSigning.confirm)
    if draft is None:
        await _resume(callback, petition, bot, state, i18n, signatures, settings)
        return
    user_id = callback.from_user.id
    result = await signatures.sign(
        petition,
        user_id,
        name=cipher.unseal(draft.name),
        region=draft.region,
        today=_today(settings),
        phone_hash=draft.phone_hash,
        referred_by=draft.referral,
    )
    await state.clear()
    builder = InlineButtons()
    if result.outcome == SignOutcome.SIGNED:
        link = await _signed_buttons(builder, i18n, bot, petition, signatures, user_id)
        text = i18n.get("petition-signed", count=result.count, goal=petition.goal, link=link)
    elif result.outcome == SignOutcome.ALREADY_SIGNED:
        assert result.signed_at is not None
        await _signed_buttons(builder, i18n, bot, petition, signatures, user_id)
        text = i18n.get("petition-already-signed", date=local_date(result.signed_at, settings))
    elif result.outcome == SignOutcome.PHONE_TAKEN:
        text = i18n.get("petition-phone-taken")
    else:
        closes = petition.closes or _today(settings)
        text = i18n.get("petition-closed", date=local_date(closes, settings), count=result.count)
    _button(builder, i18n, "petition-button-list", PetitionAction.LIST)
    builder.adjust(1)
    await show(callback, text, builder.as_markup())


@router.callback_query(PetitionV1.filter(F.action == PetitionAction.CANCEL))
async def cancel_signing(
    callback: CallbackQuery, state: FSMContext, i18n: I18nContext, is_coordinator: bool
) -> None:
    """ "✖ Cancel" anywhere in the signing dialog: nothing is kept."""
    await state.clear()
    await show(callback, i18n.get("petition-cancelled"), main_menu_keyboard(i18n, is_coordinator))


# --- withdrawal ------------------------------------------------------------------------------


@router.callback_query(PetitionV1.filter(F.action == PetitionAction.WITHDRAW))
async def withdraw_asked(
    callback: CallbackQuery,
    callback_data: PetitionV1,
    i18n: I18nContext,
    petitions: dict[str, Petition],
    signatures: SignatureService,
    settings: Settings,
) -> None:
    """ "Withdraw my signature": ask first."""
    petition = await _petition_or_list(
        callback, callback_data.slug, i18n, petitions, signatures, settings
    )
    if petition is None:
        return
    builder = InlineButtons()
    _button(
        builder,
        i18n,
        "petition-button-withdraw-yes",
        PetitionAction.WITHDRAW_CONFIRMED,
        petition.slug,
    )
    _button(builder, i18n, "petition-button-withdraw-no", PetitionAction.OPEN, petition.slug)
    await show(
        callback,
        i18n.get(
            "petition-withdraw-confirm",
            title=html.escape(petition.text(i18n.locale).short_title, quote=False),
        ),
        builder.as_markup(),
    )


@router.callback_query(PetitionV1.filter(F.action == PetitionAction.WITHDRAW_CONFIRMED))
async def withdraw_confirmed(
    callback: CallbackQuery,
    callback_data: PetitionV1,
    i18n: I18nContext,
    petitions: dict[str, Petition],
    signatures: SignatureService,
    settings: Settings,
) -> None:
    """ "Yes, withdraw"."""
    petition = await _petition_or_list(
        callback, callback_data.slug, i18n, petitions, signatures, settings
    )
    if petition is None:
        return
    count = await signatures.withdraw(petition.slug, callback.from_user.id)
    builder = InlineButtons()
    if count is None:
        text = i18n.get("petition-nothing-to-withdraw")
    else:
        text = i18n.get("petition-withdrawn", count=count)
        _button(builder, i18n, "petition-button-read", PetitionAction.OPEN, petition.slug)
    _button(builder, i18n, "petition-button-list", PetitionAction.LIST)
    builder.adjust(1)
    await show(callback, text, builder.as_markup())
