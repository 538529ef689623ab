"""Kazakhstan's regions and cities of republican significance (as of 2022), plus abroad.

Codes are stable (stored with signatures); names live in the locales as `region-<code>`."""

from __future__ import annotations

REGIONS: tuple[str, ...] = (
    "astana",
    "almaty_city",
    "shymkent",
    "abai",
    "akmola",
    "aktobe",
    "almaty",
    "atyrau",
    "west_kazakhstan",
    "jambyl",
    "jetisu",
    "karaganda",
    "kostanay",
    "kyzylorda",
    "mangystau",
    "pavlodar",
    "north_kazakhstan",
    "turkistan",
    "ulytau",
    "east_kazakhstan",
    "abroad",
)


def region_message_id(code: str) -> str:
    if code not in REGIONS:
        raise ValueError(f"unknown region {code!r}")
    return f"region-{code.replace('_', '-')}"


def all_region_message_ids() -> list[str]:
    return [region_message_id(code) for code in REGIONS]
