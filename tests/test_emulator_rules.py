"""The emulator refuses what Telegram refuses, with Telegram's errors, over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup

from emulator.server import LOCAL_TOKEN, EmulatorServer

PNG_1x1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


@pytest.fixture
async def plain_bot(emulator: EmulatorServer) -> AsyncIterator[Bot]:
    """A bot with no retries, so each refusal surfaces as Telegram's error."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(emulator.url))
    bot = Bot(LOCAL_TOKEN, session=session, default=DefaultBotProperties(parse_mode="HTML"))
    yield bot
    await bot.session.close()


@pytest.fixture
def chat_id(emulator: EmulatorServer) -> int:
    return emulator.world.add_user("Aigerim", "kk").id


def keyboard(*datas: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=str(i), callback_data=d)] for i, d in enumerate(datas)
        ]
    )


async def test_accepts_what_telegram_accepts(
    plain_bot: Bot, chat_id: int, emulator: EmulatorServer
) -> None:
    sent = await plain_bot.send_message(
        chat_id, '<b>Жарайды</b> &amp; <i>ok</i> <a href="https://haq.kz">haq</a>'
    )
    assert sent.text == "Жарайды & ok haq"
    assert [e.type for e in sent.entities or []] == ["bold", "italic", "text_link"]
    assert sent.html_text == '<b>Жарайды</b> &amp; <i>ok</i> <a href="https://haq.kz">haq</a>'
    assert (await plain_bot.get_me()).username == "haqbot_local_bot"


async def test_text_length_limits(plain_bot: Bot, chat_id: int) -> None:
    await plain_bot.send_message(chat_id, "я" * 4096)
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await plain_bot.send_message(chat_id, "я" * 4097)
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await plain_bot.send_message(chat_id, "<b> </b>")


async def test_markup_counts_after_parsing(plain_bot: Bot, chat_id: int) -> None:
    await plain_bot.send_message(chat_id, "<b>" + "a" * 4096 + "</b>")


async def test_caption_limit(plain_bot: Bot, chat_id: int) -> None:
    photo = BufferedInputFile(PNG_1x1, "p.png")
    sent = await plain_bot.send_photo(chat_id, photo, caption="c" * 1024)
    assert sent.photo and sent.photo[-1].width == 1
    with pytest.raises(TelegramBadRequest, match="caption is too long"):
        await plain_bot.send_photo(chat_id, BufferedInputFile(PNG_1x1, "p.png"), caption="c" * 1025)


async def test_callback_data_is_1_to_64_bytes(plain_bot: Bot, chat_id: int) -> None:
    await plain_bot.send_message(chat_id, "ok", reply_markup=keyboard("я" * 32))  # 64 bytes
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await plain_bot.send_message(chat_id, "too long", reply_markup=keyboard("я" * 33))


async def test_inline_keyboard_at_most_100_buttons(plain_bot: Bot, chat_id: int) -> None:
    await plain_bot.send_message(
        chat_id, "ok", reply_markup=keyboard(*[str(i) for i in range(100)])
    )
    with pytest.raises(TelegramBadRequest, match="reply markup is too long"):
        await plain_bot.send_message(
            chat_id, "no", reply_markup=keyboard(*[str(i) for i in range(101)])
        )


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<b>unclosed", "Can't find end tag"),
        ("<b><i>crossed</b></i>", "Unmatched end tag"),
        ("<div>block</div>", 'Unsupported start tag "div"'),
        ("1 < 2", "byte offset"),
        ("&nbsp;", "Unsupported HTML entity"),
        ('<span class="red">x</span>', "tg-spoiler"),
    ],
)
async def test_invalid_html_is_refused(
    plain_bot: Bot, chat_id: int, html: str, reason: str
) -> None:
    with pytest.raises(TelegramBadRequest, match="can't parse entities") as error:
        await plain_bot.send_message(chat_id, html)
    assert reason in error.value.message


async def test_edit_rules(plain_bot: Bot, chat_id: int) -> None:
    sent = await plain_bot.send_message(chat_id, "<b>one</b>", reply_markup=keyboard("a"))
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await plain_bot.edit_message_text(
            "<b>one</b>", chat_id=chat_id, message_id=sent.message_id, reply_markup=keyboard("a")
        )
    edited = await plain_bot.edit_message_text(
        "<b>one</b>", chat_id=chat_id, message_id=sent.message_id
    )
    assert edited.reply_markup is None and edited.edit_date is not None, (
        "dropping the keyboard is a change"
    )
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await plain_bot.edit_message_text("x", chat_id=chat_id, message_id=9999)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await plain_bot.delete_message(chat_id, 9999)
    assert await plain_bot.delete_message(chat_id, sent.message_id)


async def test_blocked_user_gives_403(
    plain_bot: Bot, chat_id: int, emulator: EmulatorServer
) -> None:
    emulator.world.users[chat_id].blocked_bot = True
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await plain_bot.send_message(chat_id, "hello")


async def test_unknown_method_and_token(emulator: EmulatorServer) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{emulator.url}/bot{LOCAL_TOKEN}/sendTelepathy", json={}) as response:
            assert response.status == 404
            assert await response.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found: method not found",
            }
        async with http.post(f"{emulator.url}/botnot-a-token/getMe") as response:
            assert response.status == 401
            assert (await response.json())["description"] == "Unauthorized"


async def test_rate_limit_answers_429_with_retry_after(
    plain_bot: Bot, chat_id: int, emulator: EmulatorServer
) -> None:
    emulator.world.rate_limits.enabled = True
    for _ in range(emulator.world.rate_limits.per_chat_burst):
        await plain_bot.send_message(chat_id, "burst")
    with pytest.raises(TelegramRetryAfter) as error:
        await plain_bot.send_message(chat_id, "one too many")
    assert error.value.retry_after >= 1


async def test_channel_rate_limit_is_20_a_minute(plain_bot: Bot, emulator: EmulatorServer) -> None:
    emulator.world.rate_limits.enabled = True
    for _ in range(20):
        await plain_bot.send_message("@haqtime", "post")
    with pytest.raises(TelegramRetryAfter):
        await plain_bot.send_message("@haqtime", "one too many")
    assert len(emulator.world.channel.messages) == 20


async def test_fault_switch_answers_500_then_recovers(
    plain_bot: Bot, chat_id: int, emulator: EmulatorServer
) -> None:
    emulator.world.faults.mode, emulator.world.faults.remaining = "error", 2
    for _ in range(2):
        with pytest.raises(TelegramServerError):
            await plain_bot.send_message(chat_id, "x")
    assert (await plain_bot.send_message(chat_id, "back")).text == "back"


async def test_get_updates_conflicts_with_a_webhook(plain_bot: Bot) -> None:
    await plain_bot.set_webhook("http://127.0.0.1:9/hook")
    with pytest.raises(TelegramConflictError):
        await plain_bot.get_updates()
    await plain_bot.delete_webhook()
    assert await plain_bot.get_updates(timeout=0) == []


async def test_double_answer_to_a_callback_is_refused(
    plain_bot: Bot, emulator: EmulatorServer
) -> None:
    callback_id = emulator.world.new_callback_id()
    assert await plain_bot.answer_callback_query(callback_id, text="ok")
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await plain_bot.answer_callback_query(callback_id)


async def test_files_round_trip_and_the_20_mb_download_limit(
    plain_bot: Bot, emulator: EmulatorServer
) -> None:
    small = emulator.world.store_file(PNG_1x1, "photo", "image/png", "p.png")
    info = await plain_bot.get_file(small.file_id)
    downloaded = await plain_bot.download_file(info.file_path or "")
    assert downloaded is not None and downloaded.read() == PNG_1x1
    big = emulator.world.store_file(
        b"\0" * (20 * 1024 * 1024 + 1), "document", "application/pdf", "big.pdf"
    )
    with pytest.raises(TelegramBadRequest, match="file is too big"):
        await plain_bot.get_file(big.file_id)


async def test_users_can_only_tap_buttons_that_exist(
    emulator: EmulatorServer, plain_bot: Bot, chat_id: int
) -> None:
    from emulator.client import EmulatorClient, EmulatorError

    client = EmulatorClient(emulator.url)
    sent = await plain_bot.send_message(chat_id, "pick", reply_markup=keyboard("a"))
    user = (await client.request("GET", "/api/users"))[0]
    with pytest.raises(EmulatorError, match="no button"):
        await client.request(
            "POST",
            f"/api/users/{user['id']}/callbacks?wait=0",
            json={"message_id": sent.message_id, "data": "b"},
        )
    await client.close()


# --- the people's side, as the bot receives it ---------------------------------------------


@pytest.fixture
async def people(emulator: EmulatorServer) -> AsyncIterator[Any]:
    from emulator.client import EmulatorClient

    client = EmulatorClient(emulator.url)
    yield client
    await client.close()


async def _send_without_waiting(people: Any, user_id: int, kind: str, **kwargs: Any) -> None:
    await people.request("POST", f"/api/users/{user_id}/{kind}?wait=0", **kwargs)


async def test_album_arrives_as_one_media_group(plain_bot: Bot, people: Any, tmp_path: Any) -> None:
    import aiohttp as http_client

    user = await people.new_user("Observer", "kk")
    form = http_client.FormData()
    for index in range(3):
        form.add_field("file", PNG_1x1, filename=f"page{index}.png")
    form.add_field("caption", "Хаттама")
    await _send_without_waiting(people, user.id, "album", data=form)
    updates = await plain_bot.get_updates(timeout=1)
    assert len(updates) == 3
    groups = {u.message.media_group_id for u in updates if u.message}
    assert len(groups) == 1 and None not in groups
    assert updates[0].message and updates[0].message.caption == "Хаттама"
    photo = updates[2].message.photo[-1]  # type: ignore[union-attr,index]
    downloaded = await plain_bot.download(photo.file_id)
    assert downloaded is not None and downloaded.read() == PNG_1x1


async def test_contact_is_the_users_own_unless_forged(plain_bot: Bot, people: Any) -> None:
    user = await people.new_user("Dana", "ru")
    await _send_without_waiting(people, user.id, "contact", json={"own": True})
    await _send_without_waiting(
        people,
        user.id,
        "contact",
        json={"own": False, "phone_number": "+77000000001", "user_id": 5},
    )
    own, other = [u.message.contact for u in await plain_bot.get_updates(timeout=1)]  # type: ignore[union-attr]
    assert own is not None and own.user_id == user.id and own.phone_number.startswith("+7")
    assert other is not None and other.user_id == 5


async def test_reply_keyboard_and_commands_reach_the_bot(plain_bot: Bot, people: Any) -> None:
    from aiogram.types import KeyboardButton, ReplyKeyboardMarkup

    user = await people.new_user("Serik", "ru")
    keyboard = ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text="📱 Номер", request_contact=True), KeyboardButton(text="Назад")]
        ]
    )
    await plain_bot.send_message(user.id, "Поделитесь номером", reply_markup=keyboard)
    await user.refresh()
    assert user.reply_keyboard is not None
    await _send_without_waiting(people, user.id, "messages", json={"text": "/start o-ABCD12"})
    await _send_without_waiting(people, user.id, "messages", json={"text": "Назад"})
    command, plain = [u.message for u in await plain_bot.get_updates(timeout=1)]
    assert command is not None and command.entities and command.entities[0].type == "bot_command"
    assert command.entities[0].length == len("/start")
    assert plain is not None and not plain.entities and plain.text == "Назад"
