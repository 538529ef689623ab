"""Keyboards more than one journey shows: the one module handlers share them through."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from handlers.callbacks import (
    CaseAction,
    CaseV1,
    IncidentCardAction,
    IncidentCardV1,
    IncidentStep,
    IncidentStepV1,
    LanguageV1,
    MenuItem,
    MenuV1,
    ProtocolStep,
    ProtocolStepV1,
    ReportStep,
    ReportStepV1,
)
from models.observer import PrecinctRef
from services.regions import region_message_id
from settings import LOCALES


class InlineButtons:
    """The part of aiogram's InlineKeyboardBuilder that the handlers use (`button`, `adjust`,
    `as_markup`), laying buttons out the same way, at a fraction of its cost: aiogram's validates
    and deep-copies every button added so far each time one is added, and again on export, 12%
    of a petition tap's CPU (bench/README.md, tenth session)."""

    MAX_WIDTH = 8  # Telegram's limits on an inline keyboard
    MAX_BUTTONS = 100

    def __init__(self) -> None:
        self._rows: list[list[InlineKeyboardButton]] = []

    def button(
        self, *, text: str, callback_data: CallbackData | str | None = None, url: str | None = None
    ) -> InlineButtons:
        """Another button: on the last row while it has room, as aiogram's does."""
        if isinstance(callback_data, CallbackData):
            callback_data = callback_data.pack()  # checks the 64-byte limit
        button = InlineKeyboardButton(text=text, callback_data=callback_data, url=url)
        if sum(len(row) for row in self._rows) >= self.MAX_BUTTONS:
            raise ValueError(f"an inline keyboard holds at most {self.MAX_BUTTONS} buttons")
        if self._rows and len(self._rows[-1]) < self.MAX_WIDTH:
            self._rows[-1].append(button)
        else:
            self._rows.append([button])
        return self

    def adjust(self, *sizes: int) -> InlineButtons:
        """The buttons so far in rows of these sizes, the last size repeated for the rest."""
        for size in sizes:
            if not isinstance(size, int) or not 1 <= size <= self.MAX_WIDTH:
                raise ValueError(f"row size {size!r} is not in [1, {self.MAX_WIDTH}]")
        buttons = [button for row in self._rows for button in row]
        widths = list(sizes or (self.MAX_WIDTH,))
        rows: list[list[InlineKeyboardButton]] = []
        while buttons:
            width = widths.pop(0) if len(widths) > 1 else widths[0]
            rows.append(buttons[:width])
            buttons = buttons[width:]
        self._rows = rows
        return self

    def as_markup(self) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup(inline_keyboard=[list(row) for row in self._rows])


def become_an_observer(i18n: I18nContext) -> InlineKeyboardMarkup:
    """Under "only observers can do this": the way to become one, or back to the menu."""
    builder = InlineButtons()
    builder.button(
        text=i18n.get("menu-button-observer"), callback_data=MenuV1(item=MenuItem.OBSERVER)
    )
    builder.button(text=i18n.get("button-menu"), callback_data=MenuV1(item=MenuItem.HOME))
    return builder.as_markup()


def observer_actions(i18n: I18nContext) -> InlineKeyboardMarkup:
    """An approved observer's next steps: under their status, and after every protocol or
    incident they send, so no screen is a dead end."""
    builder = InlineButtons()
    builder.button(
        text=i18n.get("protocol-button-start"),
        callback_data=ProtocolStepV1(step=ProtocolStep.START),
    )
    builder.button(
        text=i18n.get("incident-button-start"),
        callback_data=IncidentStepV1(step=IncidentStep.START),
    )
    builder.button(
        text=i18n.get("reports-button"), callback_data=ReportStepV1(step=ReportStep.LIST)
    )
    builder.button(text=i18n.get("button-menu"), callback_data=MenuV1(item=MenuItem.HOME))
    builder.adjust(1)
    return builder.as_markup()


def main_menu_keyboard(i18n: I18nContext, is_coordinator: bool) -> InlineKeyboardMarkup:
    builder = InlineButtons()
    builder.button(
        text=i18n.get("menu-button-petitions"), callback_data=MenuV1(item=MenuItem.PETITIONS)
    )
    builder.button(
        text=i18n.get("menu-button-observer"), callback_data=MenuV1(item=MenuItem.OBSERVER)
    )
    builder.button(text=i18n.get("menu-button-mydata"), callback_data=MenuV1(item=MenuItem.MY_DATA))
    builder.button(text=i18n.get("menu-button-help"), callback_data=MenuV1(item=MenuItem.HELP))
    # One tap to the other language; its label is written in that language, so it is found.
    other = next(code for code in LOCALES if code != i18n.locale)
    builder.button(text=i18n.get("menu-button-language"), callback_data=LanguageV1(code=other))
    if is_coordinator:
        builder.button(
            text=i18n.get("menu-button-coordinator"),
            callback_data=MenuV1(item=MenuItem.COORDINATOR),
        )
    builder.adjust(2, 2, 2)
    return builder.as_markup()


def open_case_keyboard(i18n: I18nContext, level: str, precinct_id: int) -> InlineKeyboardMarkup:
    """The button under a "protocol to check" notice."""
    builder = InlineButtons()
    builder.button(
        text=i18n.get("case-button-open"),
        callback_data=CaseV1(action=CaseAction.OPEN, level=level, precinct=precinct_id),
    )
    return builder.as_markup()


def open_incident_keyboard(i18n: I18nContext, incident_id: int) -> InlineKeyboardMarkup:
    builder = InlineButtons()
    builder.button(
        text=i18n.get("case-button-open"),
        callback_data=IncidentCardV1(action=IncidentCardAction.OPEN, incident=incident_id),
    )
    return builder.as_markup()


def own_precincts_keyboard(
    i18n: I18nContext,
    precincts: tuple[PrecinctRef, ...],
    button: Callable[[int], CallbackData],
    cancel: CallbackData,
) -> InlineKeyboardMarkup:
    """An approved observer's precincts, one button each, then Cancel: where the protocol and
    incident journeys ask which precinct."""
    builder = InlineButtons()
    for precinct in precincts:
        builder.button(
            text=i18n.get(
                "protocol-precinct-button",
                number=precinct.number,
                region=i18n.get(region_message_id(precinct.region)),
            ),
            callback_data=button(precinct.id),
        )
    builder.button(text=i18n.get("protocol-button-cancel"), callback_data=cancel)
    builder.adjust(1)
    return builder.as_markup()
