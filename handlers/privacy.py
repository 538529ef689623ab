"""/mydata and /forget: every user can see what they gave, and erase it."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from handlers.callbacks import ForgetV1, MenuItem, MenuV1
from handlers.keyboards import InlineButtons, main_menu_keyboard
from handlers.replies import show
from models.observer import ObserverStatus
from models.petition import Petition, SignatureStatus
from models.user import User
from services.observers import ObserverService
from services.privacy import PrivacyService
from services.regions import region_message_id
from services.signatures import SignatureService
from services.texts import local_date
from settings import Settings

router = Router(name="privacy")


async def _my_data_text(
    user: User,
    i18n: I18nContext,
    signatures: SignatureService,
    petitions: dict[str, Petition],
    settings: Settings,
    observers: ObserverService,
) -> str:
    language = i18n.get("language-button-kk" if i18n.locale == "kk" else "language-button-ru")
    lines = [i18n.get("mydata-title", language=language)]
    mine = await signatures.mine(user.telegram_id)
    for signature in mine:
        petition = petitions.get(signature.petition_slug)
        title = petition.text(i18n.locale).short_title if petition else signature.petition_slug
        if signature.status == SignatureStatus.SIGNED:
            lines.append(
                i18n.get(
                    "mydata-signature",
                    title=html.escape(title, quote=False),
                    date=local_date(signature.signed_at, settings),
                    name=html.escape(signature.name or "", quote=False),
                    region=i18n.get(region_message_id(signature.region))
                    if signature.region
                    else "",
                )
            )
        else:
            lines.append(
                i18n.get("mydata-signature-withdrawn", title=html.escape(title, quote=False))
            )
    if not mine:
        lines.append(i18n.get("mydata-no-signatures"))
    observer = await observers.observer(user.telegram_id)
    if observer is not None:
        lines.append(
            describe_for_user(
                i18n, observer.name, observer.phone, len(observer.precincts), observer.status
            )
        )
    lines.append(i18n.get("mydata-footer"))
    return "\n".join(lines)


@router.message(Command("mydata"))
async def my_data_command(
    message: Message,
    user: User,
    i18n: I18nContext,
    signatures: SignatureService,
    petitions: dict[str, Petition],
    settings: Settings,
    observers: ObserverService,
) -> None:
    """/mydata: everything the bot keeps about this user, decrypted for them alone."""
    await message.answer(
        await _my_data_text(user, i18n, signatures, petitions, settings, observers)
    )


@router.callback_query(MenuV1.filter(F.item == MenuItem.MY_DATA))
async def my_data_button(
    callback: CallbackQuery,
    user: User,
    i18n: I18nContext,
    signatures: SignatureService,
    petitions: dict[str, Petition],
    settings: Settings,
    is_coordinator: bool,
    observers: ObserverService,
) -> None:
    """Menu → My data."""
    text = await _my_data_text(user, i18n, signatures, petitions, settings, observers)
    await show(callback, text, main_menu_keyboard(i18n, is_coordinator))


@router.message(Command("forget"))
async def forget_command(message: Message, i18n: I18nContext) -> None:
    """/forget: ask before erasing anything."""
    builder = InlineButtons()
    builder.button(text=i18n.get("forget-button-yes"), callback_data=ForgetV1(confirmed=True))
    builder.button(text=i18n.get("forget-button-no"), callback_data=ForgetV1(confirmed=False))
    await message.answer(i18n.get("forget-confirm"), reply_markup=builder.as_markup())


@router.callback_query(ForgetV1.filter())
async def forget_answered(
    callback: CallbackQuery,
    callback_data: ForgetV1,
    state: FSMContext,
    user: User,
    i18n: I18nContext,
    is_coordinator: bool,
    privacy: PrivacyService,
) -> None:
    """ "Yes, erase everything" or "No"."""
    if not callback_data.confirmed:
        await show(callback, i18n.get("forget-kept"), main_menu_keyboard(i18n, is_coordinator))
        return
    text = i18n.get("forget-done")  # in the language they were using, before it is forgotten
    await state.clear()
    await privacy.forget(user.telegram_id)
    await show(callback, text)  # committed before this is said


def describe_for_user(
    i18n: I18nContext, name: str, phone: str, count: int, status: ObserverStatus
) -> str:
    """The observer line of /mydata."""
    return i18n.get(
        "mydata-observer",
        name=html.escape(name, quote=False),
        phone=html.escape(phone, quote=False),
        count=count,
        status=i18n.get(f"observer-state-{status.value}"),
    )
