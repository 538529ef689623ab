"""Observers as the bot knows them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class ObserverStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class PrecinctRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    region: str
    number: int
    address_kk: str
    address_ru: str

    def address(self, locale: str) -> str:
        return self.address_kk if locale == "kk" else self.address_ru


class Observer(BaseModel):
    """Decrypted, for the observer themselves and for logged coordinator views only."""

    model_config = ConfigDict(frozen=True)

    telegram_id: int
    status: ObserverStatus
    name: str
    phone: str
    precincts: tuple[PrecinctRef, ...]
    requested_at: datetime
    invited: bool
