"""Tesseract, the OCR engine, and the languages protocols are written in."""

from __future__ import annotations

import shutil
import subprocess

# Protocols are printed in Kazakh and Russian; Tesseract's codes for them.
REQUIRED_LANGUAGES = ("rus", "kaz")


def missing_ocr_languages() -> list[str]:
    """What is missing for OCR on this machine, as readable problems; empty when all is there."""
    binary = shutil.which("tesseract")
    if binary is None:
        return ["tesseract is not installed (Debian: apt-get install tesseract-ocr)"]
    result = subprocess.run(
        [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
    )
    installed = {line.strip() for line in result.stdout.splitlines()[1:]}
    return [
        f"Tesseract language '{code}' is missing (Debian: apt-get install tesseract-ocr-{code})"
        for code in REQUIRED_LANGUAGES
        if code not in installed
    ]
