"""The petition taps of bench/toy_bot.py written with aiogram-dialog (windows, widgets, a dialog
stack) instead of plain handlers: evidence for issue 15's decision on aiogram-dialog, measured by
bench/update_cost.py beside the plain toy. Same texts and buttons, MemoryStorage, nothing else.

    HAQBOT_TOY_API_BASE=http://127.0.0.1:PORT HAQBOT_TOY_PORT=PORT2 python bench/toy_dialog_bot.py
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

from aiogram import Dispatcher, Router
from aiogram.filters import CommandStart
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, StartMode, Window, setup_dialogs
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Select
from aiogram_dialog.widgets.text import Const, Format

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.toy_bot import REGIONS, serve

DEMANDS = 8
signed = {"petition-2021": 0}


class Signing(StatesGroup):
    intro = State()
    demand = State()
    name = State()
    region = State()
    review = State()
    done = State()


async def read(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data["shown"] = 1
    await manager.switch_to(Signing.demand)


async def agree(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    if manager.dialog_data["shown"] >= DEMANDS:
        await manager.switch_to(Signing.name)
        return
    manager.dialog_data["shown"] += 1


async def named(message: Message, widget: Any, manager: DialogManager) -> None:
    manager.dialog_data["name"] = message.text
    await manager.switch_to(Signing.region)


async def region_chosen(
    callback: CallbackQuery, widget: Any, manager: DialogManager, item: str
) -> None:
    manager.dialog_data["region"] = item
    await manager.switch_to(Signing.review)


async def sign(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    signed["petition-2021"] += 1
    manager.dialog_data["count"] = signed["petition-2021"]
    await manager.switch_to(Signing.done)


async def data(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {"regions": REGIONS, **dialog_manager.dialog_data}


dialog = Dialog(
    Window(
        Const("<b>Петиция</b>\nВступление к петиции."),
        Button(Const("Читать требования ▶"), id="read", on_click=read),
        state=Signing.intro,
    ),
    Window(
        Format("Требование {shown} из 8"),
        Button(Const("✅ Поддерживаю"), id="agree", on_click=agree),
        state=Signing.demand,
        getter=data,
    ),
    Window(Const("Как вас зовут? Фамилия и имя:"), MessageInput(named), state=Signing.name),
    Window(
        Const("Ваш регион?"),
        Select(
            Format("{item}"),
            id="region",
            item_id_getter=lambda item: str(REGIONS.index(item)),
            items="regions",
            on_click=lambda c, w, m, item_id: region_chosen(c, w, m, REGIONS[int(item_id)]),
        ),
        state=Signing.region,
        getter=data,
    ),
    Window(
        Format("Проверьте: {name}, {region}"),
        Button(Const("✍ Подписать"), id="sign", on_click=sign),
        state=Signing.review,
        getter=data,
    ),
    Window(Format("✅ Ваша подпись учтена. Подписей: {count}"), state=Signing.done, getter=data),
)
router = Router()


@router.message(CommandStart())
async def start(message: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(Signing.intro, mode=StartMode.RESET_STACK)


async def main() -> None:
    dispatcher = Dispatcher(storage=MemoryStorage())
    dispatcher.include_routers(router, dialog)
    setup_dialogs(dispatcher)
    await serve(dispatcher)


if __name__ == "__main__":
    asyncio.run(main())
