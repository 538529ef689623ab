"""Every dialog state of the bot, in one place."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class PetitionSigning(StatesGroup):
    reading = State()  # intro and demands, agreeing one by one
    name = State()
    region = State()
    phone = State()
    confirm = State()
