"""The baseline of bench/update_cost.py: a minimal aiogram bot doing the same petition taps as
haqbot (the same texts and buttons, so the same driver plays both), with nothing else: no
database (aiogram's MemoryStorage, a dict for the count), no i18n, no middlewares, no outbox.

    HAQBOT_TOY_API_BASE=http://127.0.0.1:PORT HAQBOT_TOY_PORT=PORT2 python bench/toy_bot.py

With HAQBOT_TOY_SQLITE=path it is the durable toy instead: the dialog state and the signatures
in that SQLite file, each change committed before the reply (bench/toy_sqlite_storage.py), as a
bot that loses nothing on a restart must.

With HAQBOT_TOY_HOLD_RESPONSE_TYPES=1 its Bot API session is haqbot's
(runtime.telegram_client.BotApiSession, without haqbot's request middlewares), which keeps the
pydantic class of each answer's type: aiogram's cache of them holds them weakly, so the plain
toy rebuilds one for every call, a quarter to a third of its CPU (bench/README.md).
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.filters import CommandStart
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.toy_sqlite_storage import ToySqliteStorage
from runtime.telegram_client import BotApiSession

DEMANDS = 8
REGIONS = ("г. Астана", "г. Алматы", "г. Шымкент", "За рубежом")
SECRET = "bench-webhook-secret"
router = Router()
signed: dict[str, int] = {"petition-2021": 0}


class Step(CallbackData, prefix="t"):
    action: str
    value: str = ""


class Signing(StatesGroup):
    reading = State()
    name = State()
    region = State()
    review = State()


def button(text: str, action: str, value: str = ""):
    builder = InlineKeyboardBuilder()
    builder.button(text=text, callback_data=Step(action=action, value=value))
    return builder.as_markup()


@router.message(CommandStart())
async def start(message: Message, state: FSMContext) -> None:
    await state.set_state(Signing.reading)
    await message.answer(
        "<b>Петиция</b>\nВступление к петиции.", reply_markup=button("Читать требования ▶", "read")
    )


@router.callback_query(Step.filter(F.action.in_({"read", "agree"})), Signing.reading)
async def demand(callback: CallbackQuery, callback_data: Step, state: FSMContext) -> None:
    shown = int(callback_data.value or 0)
    if callback_data.action == "agree" and shown >= DEMANDS:
        await state.set_state(Signing.name)
        await callback.message.edit_text("Как вас зовут? Фамилия и имя:")  # type: ignore[union-attr]
        await callback.answer()
        return
    await callback.message.edit_text(  # type: ignore[union-attr]
        f"Требование {shown + 1} из {DEMANDS}",
        reply_markup=button("✅ Поддерживаю", "agree", str(shown + 1)),
    )
    await callback.answer()


@router.message(Signing.name, F.text)
async def name(message: Message, state: FSMContext) -> None:
    await state.update_data(name=message.text)
    await state.set_state(Signing.region)
    builder = InlineKeyboardBuilder()
    for region in REGIONS:
        builder.button(text=region, callback_data=Step(action="region", value=region))
    await message.answer("Ваш регион?", reply_markup=builder.as_markup())


@router.callback_query(Step.filter(F.action == "region"), Signing.region)
async def region(callback: CallbackQuery, callback_data: Step, state: FSMContext) -> None:
    await state.update_data(region=callback_data.value)
    await state.set_state(Signing.review)
    data = await state.get_data()
    await callback.message.edit_text(  # type: ignore[union-attr]
        f"Проверьте: {data['name']}, {data['region']}", reply_markup=button("✍ Подписать", "sign")
    )
    await callback.answer()


@router.callback_query(Step.filter(F.action == "sign"), Signing.review)
async def sign(
    callback: CallbackQuery, state: FSMContext, durable: ToySqliteStorage | None
) -> None:
    if durable is None:
        signed["petition-2021"] += 1
        count = signed["petition-2021"]
    else:
        data = await state.get_data()
        count = await durable.sign("petition-2021", data["name"], data["region"])
    await state.clear()
    await callback.message.edit_text(f"✅ Ваша подпись учтена. Подписей: {count}")  # type: ignore[union-attr]
    await callback.answer()


async def serve(dispatcher: Dispatcher) -> None:
    """Webhook mode against the emulator named in the environment, until killed (shared by
    toy_dialog_bot.py)."""
    api_base, port = os.environ["HAQBOT_TOY_API_BASE"], int(os.environ["HAQBOT_TOY_PORT"])
    session_class = (
        BotApiSession if os.environ.get("HAQBOT_TOY_HOLD_RESPONSE_TYPES") else AiohttpSession
    )
    bot = Bot(
        os.environ.get("HAQBOT_TOY_TOKEN", "1000001:local-emulator-token"),
        session=session_class(api=TelegramAPIServer.from_base(api_base)),
        default=DefaultBotProperties(parse_mode="HTML"),
    )
    app = web.Application()
    # Handled before the reply to the webhook, as haqbot does: the emulator then knows the update
    # is done when its POST returns.
    SimpleRequestHandler(dispatcher, bot, secret_token=SECRET, handle_in_background=False).register(
        app, path="/"
    )
    setup_application(app, dispatcher, bot=bot)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await bot.set_webhook(f"http://127.0.0.1:{port}/", secret_token=SECRET)
    await asyncio.Event().wait()


async def main() -> None:
    path = os.environ.get("HAQBOT_TOY_SQLITE")
    durable = await ToySqliteStorage.open(path) if path else None
    dispatcher = Dispatcher(storage=durable or MemoryStorage(), durable=durable)
    dispatcher.include_router(router)
    await serve(dispatcher)


if __name__ == "__main__":
    asyncio.run(main())
