"""The petitions the bot offers: loaded from `petitions/*.toml`, validated, rendered to screens.

Screens are composed here from Fluent templates passed in as `translate`, so the handlers and
the validator (which checks every screen fits Telegram's limits) render exactly the same text.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from models.petition import Petition
from services.data_files import DataFileError, load_toml_model

Translate = Callable[..., str]  # translate(message_id, locale, **arguments) -> text
MAX_MESSAGE = 4096


# One error type for every content file; the old name stays for the petition callers.
PetitionFileError = DataFileError


def load_petition(path: Path) -> Petition:
    return load_toml_model(path, Petition)


def load_catalog(directory: Path) -> dict[str, Petition]:
    """Every petition in the directory, in file-name order. Raises on the first bad file."""
    petitions = [load_petition(path) for path in sorted(directory.glob("*.toml"))]
    return {petition.slug: petition for petition in petitions}


# --- screens ---------------------------------------------------------------------------------


# Petition texts are joined to the Fluent strings rather than passed in as placeables: they are
# data, often longer than the 1000 characters fluent.runtime accepts in one placeable.


def intro_screen(petition: Petition, locale: str, translate: Translate, count: int) -> str:
    text = petition.text(locale)
    title = f"<b>{html.escape(text.title, quote=False)}</b>"
    if text.translated_from:
        title += " " + translate("petition-translated-note", locale)
    progress = translate(
        "petition-progress",
        locale,
        count=count,
        goal=petition.goal,
        percent=min(100, count * 100 // petition.goal),
    )
    return f"{title}\n\n{html.escape(text.preamble, quote=False)}\n\n{progress}"


def demand_screen(petition: Petition, locale: str, translate: Translate, index: int) -> str:
    heading = translate(
        "petition-demand-heading", locale, number=index + 1, total=petition.demand_count
    )
    return f"{heading}\n\n{html.escape(petition.text(locale).demands[index], quote=False)}"


def name_prompt_screen(petition: Petition, locale: str, translate: Translate) -> str:
    closing = html.escape(petition.text(locale).closing, quote=False)
    return f"{closing}\n\n{translate('petition-ask-name', locale)}"


@dataclass(frozen=True)
class ScreenProblem:
    locale: str
    screen: str
    length: int


def oversized_screens(
    petition: Petition, translate: Translate, locales: tuple[str, ...]
) -> list[ScreenProblem]:
    """Screens that would not fit one Telegram message, with a count at its largest."""
    from emulator.telegram_rules import parse_html, utf16_length

    problems = []
    for locale in locales:
        screens = {"intro": intro_screen(petition, locale, translate, count=10**7)}
        screens["name prompt"] = name_prompt_screen(petition, locale, translate)
        for index in range(petition.demand_count):
            screens[f"demand {index + 1}"] = demand_screen(petition, locale, translate, index)
        for name, screen in screens.items():
            plain, _ = parse_html(screen)
            if utf16_length(plain) > MAX_MESSAGE:
                problems.append(ScreenProblem(locale, name, utf16_length(plain)))
    return problems


def check_directory(directory: Path, translate: Translate, locales: tuple[str, ...]) -> list[str]:
    """Every problem with every petition file, as readable lines; empty when all are good."""
    problems: list[str] = []
    files = sorted(directory.glob("*.toml"))
    if not files:
        return [f"{directory}: no petition files (*.toml)"]
    slugs: set[str] = set()
    for path in files:
        try:
            petition = load_petition(path)
        except PetitionFileError as error:
            problems.append(str(error))
            continue
        if petition.slug in slugs:
            problems.append(f"{path.name}: slug {petition.slug} is used twice")
        slugs.add(petition.slug)
        for problem in oversized_screens(petition, translate, locales):
            problems.append(
                f"{path.name}: the {problem.locale} {problem.screen} screen is {problem.length} "
                f"characters, Telegram allows {MAX_MESSAGE}"
            )
    return problems
