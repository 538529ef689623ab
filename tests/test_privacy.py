"""/forget leaves nothing that names the person: not in any table, not in SQLite's files."""

from __future__ import annotations

import re
import stat
from pathlib import Path

from sqlalchemy import select

from emulator.client import EmulatorClient
from models.tables import FsmStateRow, IncidentRow, InviteCodeRow, OutgoingMessageRow, ProtocolRow
from settings import Settings
from tests.conftest import COORDINATOR_ID, RunningBot
from tests.test_protocols import GOOD, blank_page, observer, to_typing, type_all

FERNET_TOKEN = re.compile(rb"gAAAAA[A-Za-z0-9_\-]{40,}={0,2}")


def decryptable(bot: RunningBot, path: Path) -> list[str]:
    """Every Fernet token in a file that the bot's key still opens (erased data must not)."""
    found = []
    for file in (path, Path(f"{path}-wal")):
        if not file.exists():
            continue
        for token in FERNET_TOKEN.findall(file.read_bytes()):
            try:
                found.append(bot.app.cipher.decrypt(token))
            except Exception:
                continue
    return found


async def test_forget_erases_every_trace(
    telegram: EmulatorClient, bot: RunningBot, settings: Settings, tmp_path: Path
) -> None:
    await telegram.new_user("HQ", language_code="ru", user_id=COORDINATOR_ID)
    user = await observer(telegram, bot, "Секретова Айгерим")
    await to_typing(user, blank_page(tmp_path / "p.png"))
    await type_all(user, GOOD[:5] + ["16"] + GOOD[6:])
    await user.tap("✅ Всё верно, отправить")
    await user.send("Председатель Жумабеков велел так записать")
    await user.send("/incident")
    await user.tap("Права наблюдателя")
    await user.tap("Удаление наблюдателя с участка")
    await user.tap("🕒 Сейчас")
    await user.send("Меня, Секретову, вывели с участка")
    await user.send_photo(blank_page(tmp_path / "evidence.png"))
    await user.tap("✅ Готово")
    await user.press("📍 Отправить место")
    await user.tap("📨 Отправить")
    database = Path(settings.database.url.split("///", 1)[1])
    assert any("Секретова Айгерим" in text for text in decryptable(bot, database)), (
        "the test sees the name before"
    )

    await user.send("/forget")
    await user.tap(next(button for button in user.buttons if button.startswith(("Да", "✅"))))
    async with bot.app.sessionmaker() as session:
        protocols = (await session.execute(select(ProtocolRow))).scalars().all()
        incidents = (await session.execute(select(IncidentRow))).scalars().all()
        invites = (await session.execute(select(InviteCodeRow))).scalars().all()
        states = (await session.execute(select(FsmStateRow.key))).scalars().all()
        outgoing = (await session.execute(select(OutgoingMessageRow))).scalars().all()
    assert protocols and all(
        p.observer_id is None and p.reason_encrypted is None for p in protocols
    )
    assert protocols[0].figures["ballots_invalid"] == 16, (
        "the figures stay: the record of the election"
    )
    assert incidents and all(
        i.observer_id is None and i.latitude is None and i.longitude is None for i in incidents
    )
    assert all(
        "chat_id" not in item and "message_id" not in item for i in incidents for item in i.evidence
    )
    assert all(invite.used_by is None for invite in invites)
    assert not [key for key in states if f":{user.id}:" in key]
    assert not [row for row in outgoing if row.chat_id == user.id]
    assert all("Секретова" not in row.text for row in outgoing), "sent alerts keep no text"
    leftovers = [
        text for text in decryptable(bot, database) if "Секретов" in text or "Жумабеков" in text
    ]
    assert leftovers == [], "nothing erased can be read back from the database file or its log"
    assert (
        stat.S_IMODE(database.stat().st_mode) == 0o600
        and stat.S_IMODE(database.parent.stat().st_mode) == 0o700
    )
