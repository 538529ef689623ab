"""Keyboards more than one journey shows: the one module handlers share them through."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder
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


def become_an_observer(i18n: I18nContext) -> InlineKeyboardMarkup:
    """Under "only observers can do this": the way to become one, or back to the menu."""
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n.get("menu-button-observer"), callback_data=MenuV1(item=MenuItem.OBSERVER)
    )
    builder.button(text=i18n.get("button-menu"), callback_data=MenuV1(item=MenuItem.HOME))
    return builder.as_markup()


def observer_actions(i18n: I18nContext) -> InlineKeyboardMarkup:
    """An approved observer's next steps: under their status, and after every protocol or
    incident they send, so no screen is a dead end."""
    builder = InlineKeyboardBuilder()
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
    builder = InlineKeyboardBuilder()
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
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n.get("case-button-open"),
        callback_data=CaseV1(action=CaseAction.OPEN, level=level, precinct=precinct_id),
    )
    return builder.as_markup()


def open_incident_keyboard(i18n: I18nContext, incident_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
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
    builder = InlineKeyboardBuilder()
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
