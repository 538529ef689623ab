"""handlers.keyboards.InlineButtons lays out buttons as aiogram's InlineKeyboardBuilder does, which
it replaced on every screen for speed: a screen must not change shape."""

from __future__ import annotations

import random

import pytest
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.callbacks import MenuItem, MenuV1
from handlers.keyboards import InlineButtons


def _layout(markup: InlineKeyboardMarkup) -> list[list[tuple[str, str | None, str | None]]]:
    return [
        [(button.text, button.callback_data, button.url) for button in row]
        for row in markup.inline_keyboard
    ]


def test_buttons_are_laid_out_as_aiograms_builder_lays_them_out() -> None:
    generator = random.Random(15)
    for _ in range(300):
        ours, theirs = InlineButtons(), InlineKeyboardBuilder()
        # A screen: some buttons, maybe rows adjusted, maybe more buttons after that.
        for phase in range(generator.choice([1, 2])):
            for number in range(generator.randint(0 if phase else 1, 19)):
                text = f"button {phase}.{number}"
                if generator.random() < 0.1:
                    ours.button(text=text, url="https://t.me/haqtime")
                    theirs.button(text=text, url="https://t.me/haqtime")
                else:
                    ours.button(text=text, callback_data=MenuV1(item=MenuItem.HOME))
                    theirs.button(text=text, callback_data=MenuV1(item=MenuItem.HOME))
            if generator.random() < 0.8:
                sizes = [generator.randint(1, 8) for _ in range(generator.randint(0, 5))]
                ours.adjust(*sizes)
                theirs.adjust(*sizes)
        assert _layout(ours.as_markup()) == _layout(theirs.as_markup())


def test_a_keyboard_telegram_would_refuse_is_refused_when_built() -> None:
    buttons = InlineButtons()
    with pytest.raises(ValueError):
        buttons.adjust(9)
    for number in range(100):
        buttons.button(text=str(number), callback_data=MenuV1(item=MenuItem.HOME))
    with pytest.raises(ValueError):
        buttons.button(text="one too many", callback_data=MenuV1(item=MenuItem.HOME))
