"""Who a user is to the bot: language and role. Personal data lives in the journeys that need it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Role(StrEnum):
    MEMBER = "member"
    OBSERVER_PENDING = "observer_pending"
    OBSERVER = "observer"


class User(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True)

    telegram_id: int
    language: str | None
    role: Role
    pending_deep_link: str | None
    created_at: datetime
