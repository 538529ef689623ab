"""Kazakhstan's regions and cities of republican significance (as of 2022), plus abroad.

Codes are stable (stored with signatures); names live in the locales as `region-<code>`."""

from __future__ import annotations

from collections.abc import Callable

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


# The three cities of republican significance lead, as on official lists; "abroad" closes.
_CITIES = ("astana", "almaty_city", "shymkent")
_ALPHABETS = {
    "kk": "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
}


def alphabetical_key(text: str, locale: str) -> tuple[int, ...]:
    """Sorts by the language's own alphabet (Kazakh letters in their places, not after Я as
    their code points would put them)."""
    alphabet = _ALPHABETS.get(locale, _ALPHABETS["ru"])
    position = {letter: index for index, letter in enumerate(alphabet)}
    return tuple(position.get(letter, 100 + ord(letter)) for letter in text.lower())


def regions_in_order(name_of: Callable[[str], str], locale: str) -> list[str]:
    """The region codes as a list shows them: the cities, then the regions in the alphabetical
    order of their names in this language, then abroad."""
    regions = [code for code in REGIONS if code not in _CITIES and code != "abroad"]
    regions.sort(key=lambda code: alphabetical_key(name_of(code), locale))
    return [*_CITIES, *regions, "abroad"]
