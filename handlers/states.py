"""Every dialog state of the bot, in one place."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class PetitionSigning(StatesGroup):
    reading = State()  # intro and demands, agreeing one by one
    name = State()
    region = State()
    phone = State()
    confirm = State()


class ObserverRegistration(StatesGroup):
    code = State()
    name = State()
    phone = State()
    region = State()
    precinct = State()
    more = State()  # a precinct added: add another, or done
    review = State()


class ProtocolSubmission(StatesGroup):
    precinct = State()
    level = State()
    photos = State()
    checking = State()  # confirming or correcting the lines OCR is unsure of
    typing = State()
    column = State()  # every figure typed in one message
    review = State()
    reason = State()  # a hard check fails: why the figures are kept


class IncidentReport(StatesGroup):
    precinct = State()
    stage = State()
    category = State()
    time = State()
    description = State()
    evidence = State()
    location = State()
    review = State()
    repeat = State()  # the same report 10 minutes ago: merge or keep apart


class IncidentCorrection(StatesGroup):
    text = State()


class CoordinatorInput(StatesGroup):
    reject_reason = State()  # a protocol's rejection, typed
    figure_value = State()  # a coordinator's correction of one line
    figure_reason = State()
    message_to_observer = State()
    broadcast_numbers = State()  # precinct numbers typed for a broadcast's audience
    broadcast_text = State()
    broadcast_confirm = State()
    official_file = State()  # a CSV or XLSX of official results for one level
