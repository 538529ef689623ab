"""The machine set up by the README's commands can read Kazakh and Russian."""

from __future__ import annotations

from ocr.engine import missing_ocr_languages


def test_tesseract_with_kazakh_and_russian_is_installed() -> None:
    assert missing_ocr_languages() == []


def test_missing_tesseract_is_reported_not_raised(monkeypatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    problems = missing_ocr_languages()
    assert problems and "tesseract-ocr" in problems[0]
