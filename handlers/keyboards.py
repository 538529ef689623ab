"""Keyboards more than one journey shows."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext

from handlers.callbacks import (
    IncidentStep,
    IncidentStepV1,
    MenuItem,
    MenuV1,
    ProtocolStep,
    ProtocolStepV1,
    ReportStep,
    ReportStepV1,
)


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
