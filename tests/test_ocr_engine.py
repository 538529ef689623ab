"""The machine set up by the README's commands can read Kazakh and Russian."""

from __future__ import annotations

from ocr.engine import missing_ocr_languages, tessdata_path


def test_tesseract_with_kazakh_and_russian_is_installed() -> None:
    assert missing_ocr_languages() == []


def test_missing_language_data_is_reported_not_raised(monkeypatch, tmp_path) -> None:
    (tmp_path / "eng.traineddata").write_bytes(b"")
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    tessdata_path.cache_clear()
    try:
        problems = missing_ocr_languages()
    finally:
        tessdata_path.cache_clear()
    assert len(problems) == 2
    assert "tesseract-ocr-rus" in problems[0] and "tesseract-ocr-kaz" in problems[1]
