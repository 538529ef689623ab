"""A dialog's typed draft (models.drafts) in and out of aiogram's dialog state.

The dialog state is read from the database once per update (the storage keeps the row for the
update's unit of work), so reading the draft again within an update costs no query. A draft
that cannot be continued raises models.drafts.StaleDraft, which the errors router answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from aiogram.fsm.context import FSMContext

from models.drafts import Draft

D = TypeVar("D", bound=Draft)


async def read(state: FSMContext, kind: type[D]) -> D:
    """The draft in the step the user is at; StaleDraft when this version cannot go on."""
    return kind.from_stored(await state.get_data(), await state.get_state())


async def write(state: FSMContext, draft: Draft) -> None:
    await state.set_data(draft.stored())


async def start(state: FSMContext, kind: type[D], fields: Mapping[str, Any]) -> D:
    """A new draft replacing whatever the dialog state held."""
    draft = kind.model_validate(dict(fields))
    await write(state, draft)
    return draft


async def change(state: FSMContext, kind: type[D], **fields: Any) -> D:
    """The draft with `fields` changed, validated and written back."""
    current = await read(state, kind)
    draft = kind.model_validate({**current.model_dump(), **fields})
    await write(state, draft)
    return draft
