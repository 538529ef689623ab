"""Content files (petitions, elections): TOML read into a pydantic model, with one readable line
naming the file and every problem."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound=BaseModel)


class DataFileError(Exception):
    """A content file that must not be used; the message names the file and why."""


def load_toml_model(path: Path, model: type[Model], slug_field: str | None = "slug") -> Model:
    """The file as `model`; with `slug_field`, the file must be named after that field."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise DataFileError(f"{path.name}: {error}") from None
    try:
        loaded = model.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc']) or 'file'}: {problem['msg']}"
            for problem in error.errors()
        )
        raise DataFileError(f"{path.name}: {problems}") from None
    if slug_field is None:
        return loaded
    slug = getattr(loaded, slug_field)
    if path.stem != slug:
        raise DataFileError(f"{path.name}: the file must be named {slug}.toml")
    return loaded
