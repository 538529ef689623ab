"""What a `/start` payload asks for. Parsed in services.deep_links."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class DeepLinkKind(StrEnum):
    PETITION = "petition"
    OBSERVER_INVITE = "observer"
    REFERRAL = "referral"


class DeepLink(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: DeepLinkKind
    value: str
    # Referral tag of whoever shared the link (petitions: `p-<slug>-r<code>`).
    referral: str | None = None
    raw: str
