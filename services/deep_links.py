"""`/start` payloads: what link a user arrived with.

Telegram allows up to 64 characters of [A-Za-z0-9_-]. Accepted forms (short ones are what we
print in links; the long ones are what the brief first named):
  p-<slug>[-r<code>] or petition-<slug>[-r<code>]    a petition, optionally with a referral
  o-<code> or observer-<code>                          an observer invite code
  r-<code> or ref-<code>                               a referral tag alone
"""

from __future__ import annotations

import re

from models.deep_link import DeepLink, DeepLinkKind

MAX_PAYLOAD_LENGTH = 64
_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_PETITION = re.compile(
    r"^(?:p|petition)-(?P<slug>[a-z0-9][a-z0-9-]*?)(?:-r(?P<ref>[A-Za-z0-9_]{3,}))?$"
)
_OBSERVER = re.compile(r"^(?:o|observer)-(?P<code>[A-Za-z0-9_]{4,})$")
_REFERRAL = re.compile(r"^(?:r|ref)-(?P<code>[A-Za-z0-9_]{3,})$")


def parse_start_payload(payload: str | None) -> DeepLink | None:
    """The deep link a payload names, or None for no payload or one we do not recognise."""
    if not payload or not _PAYLOAD.match(payload):
        return None
    if match := _PETITION.match(payload):
        return DeepLink(
            kind=DeepLinkKind.PETITION, value=match["slug"], referral=match["ref"], raw=payload
        )
    if match := _OBSERVER.match(payload):
        return DeepLink(kind=DeepLinkKind.OBSERVER_INVITE, value=match["code"], raw=payload)
    if match := _REFERRAL.match(payload):
        return DeepLink(kind=DeepLinkKind.REFERRAL, value=match["code"], raw=payload)
    return None


def petition_payload(slug: str, referral: str | None = None) -> str:
    """The payload for a petition link; raises ValueError if it would not fit Telegram's rules."""
    payload = f"p-{slug}" + (f"-r{referral}" if referral else "")
    if not _PAYLOAD.match(payload):
        raise ValueError(f"deep-link payload {payload!r} is not 1-64 characters of [A-Za-z0-9_-]")
    return payload


def observer_payload(code: str) -> str:
    payload = f"o-{code}"
    if not _OBSERVER.match(payload):
        raise ValueError(f"invite code {code!r} does not fit a deep link")
    return payload
