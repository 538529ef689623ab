"""Tesseract's language data, and the languages protocols are written in. The engine itself is
the library inside the tesserocr wheel; the language models come from the system's packages
(Debian: tesseract-ocr-rus, tesseract-ocr-kaz), found in TESSDATA_PREFIX or where Debian puts
them."""

from __future__ import annotations

import glob
import os
from functools import lru_cache
from pathlib import Path

# Protocols are printed in Kazakh and Russian; Tesseract's codes for them. Digits are read with
# the English model and a whitelist.
REQUIRED_LANGUAGES = ("rus", "kaz", "eng")
_SEARCHED = (
    "/usr/share/tesseract-ocr/*/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)


@lru_cache(maxsize=1)
def tessdata_path() -> str:
    """The folder holding the *.traineddata files (with a trailing slash, as Tesseract wants);
    empty when none is found."""
    candidates = [os.environ["TESSDATA_PREFIX"]] if os.environ.get("TESSDATA_PREFIX") else []
    candidates += sorted(
        (found for pattern in _SEARCHED for found in glob.glob(pattern)), reverse=True
    )
    for folder in candidates:
        if any(Path(folder).glob("*.traineddata")):
            return folder.rstrip("/") + "/"
    return ""


def missing_ocr_languages() -> list[str]:
    """What is missing for OCR on this machine, as readable problems; empty when all is there."""
    folder = tessdata_path()
    installed = {path.stem for path in Path(folder).glob("*.traineddata")} if folder else set()
    return [
        f"Tesseract language '{code}' is missing (Debian: apt-get install tesseract-ocr-{code}; "
        "elsewhere set TESSDATA_PREFIX to the folder of its .traineddata)"
        for code in REQUIRED_LANGUAGES
        if code not in installed
    ]
