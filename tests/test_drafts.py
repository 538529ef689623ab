"""Typed, versioned dialog drafts: what the previous version wrote is migrated and the dialog goes
on; what cannot be continued is answered with a restart in the user's language, never a
KeyError."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from emulator.client import EmulatorClient
from models.drafts import (
    CoordinatorDraft,
    CorrectionDraft,
    Draft,
    IncidentDraft,
    ProtocolDraft,
    RegistrationDraft,
    SignatureDraft,
    StaleDraft,
)
from models.tables import FsmStateRow
from tests.conftest import RunningBot
from tests.test_incidents import earlier_today
from tests.test_incidents import observer as incident_observer
from tests.test_protocols import GOOD, observer, page, stored, to_typing, type_all

__all__ = ["page"]  # the fixture, used by name

# A protocol dialog at its "checking" step exactly as the version before typed drafts stored it.
PROTOCOL_V1 = {
    "precinct": 3,
    "photos": [{"file_id": "AgAD-1", "as": "photo"}],
    "level": "mazhilis",
    "album": None,
    "figures": {"voters_on_list": 1500, "ballots_received": 1500},
    "position": 0,
    "recognition": {"lines": [], "problems": []},
    "typed": [],
    "doubtful": ["ballots_received"],
    "doubt_position": 0,
    "crops": {"ballots_received": "iVBORw0KGgo="},
    "crop_pages": {},
    "other_row": [],
}


@pytest.mark.parametrize(
    "kind, fields",
    [
        (ProtocolDraft, PROTOCOL_V1),
        (IncidentDraft, {"precinct": 1, "category": "STUFFING", "evidence": []}),
        (RegistrationDraft, {"code": "ABCD2345", "precincts": [1, 2], "name": "gAAAA-sealed"}),
        (SignatureDraft, {"slug": "reforms", "referral": None, "agreed": 3}),
        (CoordinatorDraft, {"audience": {"numbers": [12], "regions": []}}),
        (CorrectionDraft, {"incident": 7}),
    ],
)
def test_a_previous_version_draft_is_migrated_and_round_trips(
    kind: type[Draft], fields: dict[str, Any]
) -> None:
    draft = kind.from_stored(fields)
    for name, value in fields.items():
        assert getattr(draft, name) == value or getattr(draft, name).model_dump() == value
    stored_form = draft.stored()
    assert stored_form["draft"] == kind.KIND and stored_form["version"] == kind.VERSION
    assert kind.from_stored(stored_form) == draft


@pytest.mark.parametrize(
    "raw, why",
    [
        ({**PROTOCOL_V1, "version": 99}, "newer version"),
        ({**PROTOCOL_V1, "draft": "incident", "version": 2}, "'incident' one"),
        ({**PROTOCOL_V1, "figures": {"voters_on_list": "many"}}, "does not fit"),
        ({**PROTOCOL_V1, "renamed_key": 1}, "does not fit"),
        ({k: v for k, v in PROTOCOL_V1.items() if k != "level"}, "needs level"),
    ],
)
def test_a_draft_that_cannot_go_on_is_stale(raw: dict[str, Any], why: str) -> None:
    with pytest.raises(StaleDraft, match=why):
        ProtocolDraft.from_stored(raw, "ProtocolSubmission:checking")


def test_a_step_asks_only_for_what_it_needs() -> None:
    assert ProtocolDraft.from_stored({"precinct": 3}, "ProtocolSubmission:level").level is None
    with pytest.raises(StaleDraft, match="needs precinct, level"):
        ProtocolDraft.from_stored({}, "ProtocolSubmission:review")
    # Another dialog's step of the same name asks nothing of this draft.
    assert ProtocolDraft.from_stored({}, "IncidentReport:review").precinct is None


async def _rewrite_dialog(bot: RunningBot, user_id: int, change) -> None:
    """The user's dialog state as another version of the bot would have left it."""
    async with bot.app.sessionmaker() as session, session.begin():
        rows = (await session.execute(select(FsmStateRow))).scalars()
        [row] = [r for r in rows if f":{user_id}:" in r.key and r.state]
        row.data = change(dict(row.data))


async def test_a_protocol_started_before_the_deploy_is_submitted_after_it(
    telegram: EmulatorClient, bot: RunningBot, page: Path
) -> None:
    user = await observer(telegram, bot)
    await to_typing(user, page)
    await type_all(user, GOOD)
    assert user.last_message.startswith("Проверьте протокол")

    def as_version_1(data: dict[str, Any]) -> dict[str, Any]:
        assert data.pop("draft") == "protocol" and data.pop("version") == 2
        return data

    await _rewrite_dialog(bot, user.id, as_version_1)
    await user.tap("✅ Всё верно, отправить")
    assert user.last_message == "✅ Протокол сохранён (версия 1)."
    [row] = await stored(bot)
    assert row.figures["votes.amanat"] == 300 and row.figures["ballots_received"] == 1500


@pytest.mark.parametrize(
    "change",
    [
        lambda data: {**data, "version": 3},  # written by a newer bot, then rolled back
        lambda data: {k: v for k, v in data.items() if k not in ("level", "version", "draft")},
    ],
    ids=["newer", "unmigratable"],
)
async def test_a_dialog_that_cannot_go_on_restarts_with_a_word(
    telegram: EmulatorClient, bot: RunningBot, page: Path, change
) -> None:
    user = await observer(telegram, bot)
    await to_typing(user, page)
    await type_all(user, GOOD)
    await _rewrite_dialog(bot, user.id, change)
    await user.tap("✅ Всё верно, отправить")
    assert user.last_message.startswith("Бот обновился, и этот диалог нельзя продолжить")
    assert "📄 Отправить протокол" in user.buttons, "the way on is one tap away"
    assert await stored(bot) == []
    # The dialog was ended: a protocol starts afresh, nothing stale in the way.
    await user.tap("📄 Отправить протокол")
    assert user.last_message == "Какой уровень выборов?"


async def test_typed_text_into_a_stale_dialog_gets_the_word_in_kazakh(
    telegram: EmulatorClient, bot: RunningBot
) -> None:
    user = await incident_observer(telegram, bot, "Қазақша")
    await user.tap("⚠ Бұзушылық туралы хабарлау")
    await user.tap("Дауыс беру")
    await user.tap("Учаскедегі үгіт")
    await _rewrite_dialog(bot, user.id, lambda data: {**data, "version": 3})
    await user.send(earlier_today(bot, 5))
    assert user.last_message.startswith("Бот жаңартылды")
    await user.tap("⚠ Бұзушылық туралы хабарлау")
    assert user.last_message == "Бұл қай кезеңде болды?", "a new report starts afresh"


def test_every_draft_names_its_dialog_and_steps() -> None:
    from aiogram.fsm.state import StatesGroup

    from handlers import states

    for kind in Draft.__subclasses__():
        group = getattr(states, kind.DIALOG)
        assert issubclass(group, StatesGroup), kind
        steps = {name.split(":", 1)[1] for name in group.__all_states_names__}
        assert set(kind.NEEDED) <= steps, (kind.DIALOG, set(kind.NEEDED) - steps)
        for needed in kind.NEEDED.values():
            assert set(needed) <= set(kind.model_fields), (kind.DIALOG, needed)
