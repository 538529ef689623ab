"""Deep-link payloads from /start."""

from __future__ import annotations

import pytest

from models.deep_link import DeepLinkKind
from services.deep_links import parse_start_payload, petition_payload


@pytest.mark.parametrize(
    ("payload", "kind", "value", "referral"),
    [
        ("p-petition-2021", DeepLinkKind.PETITION, "petition-2021", None),
        ("p-petition-2021-rAB12", DeepLinkKind.PETITION, "petition-2021", "AB12"),
        ("petition-position-2021", DeepLinkKind.PETITION, "position-2021", None),
        ("o-K7X2P9", DeepLinkKind.OBSERVER_INVITE, "K7X2P9", None),
        ("observer-K7X2P9", DeepLinkKind.OBSERVER_INVITE, "K7X2P9", None),
        ("r-friend42", DeepLinkKind.REFERRAL, "friend42", None),
    ],
)
def test_known_payloads(payload: str, kind: DeepLinkKind, value: str, referral: str | None) -> None:
    link = parse_start_payload(payload)
    assert link is not None
    assert (link.kind, link.value, link.referral, link.raw) == (kind, value, referral, payload)


@pytest.mark.parametrize(
    "payload",
    [None, "", "hello", "p-", "o-ab", "x" * 65, "p-петиция", "p-a b", "<script>", "o-K7X2P9!"],
)
def test_unknown_or_invalid_payloads(payload: str | None) -> None:
    assert parse_start_payload(payload) is None


def test_petition_payload_round_trips_and_respects_telegram_limit() -> None:
    payload = petition_payload("petition-2021", "AB12")
    link = parse_start_payload(payload)
    assert link is not None and (link.value, link.referral) == ("petition-2021", "AB12")
    with pytest.raises(ValueError, match="64"):
        petition_payload("p" * 70)
