"""Heavy libraries load only on the paths that use them (issue 15: dependencies kept honest):
the OCR worker and CLI never load Telegram code, and the bot does not load the OCR engines, the
chart library or the spreadsheet writer until a photo, a chart or an export needs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from settings import PROJECT_ROOT
from tests.conftest import TEST_ENCRYPTION_KEY

TELEGRAM = ("aiogram", "aiogram_i18n", "aiogram_dialog")
OCR_ENGINES = ("cv2", "onnxruntime", "rapidocr", "rapidocr_onnxruntime", "tesserocr")
LATER = (*OCR_ENGINES, "matplotlib", "openpyxl")


def _loaded(code: str, watched: tuple[str, ...]) -> list[str]:
    script = (
        "import json, sys\n"
        f"{code}\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({watched!r}))))\n"
    )
    environment = {key: value for key, value in os.environ.items() if not key.startswith("HAQBOT_")}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        env=environment | {"PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "code",
    [
        "import ocr.tasks, ocr.cli, ocr.recognition",
        # The worker command as bot.py dispatches it, up to the point it would connect to Redis.
        "import bot; parser = bot.build_parser(); parser.parse_args(['worker'])",
    ],
    ids=["ocr-modules", "worker-command"],
)
def test_the_ocr_worker_loads_no_telegram_code(code: str) -> None:
    assert _loaded(code, TELEGRAM) == []


def test_the_ocr_command_loads_neither_telegram_nor_database_code(tmp_path) -> None:
    """`bot.py ocr` on one image: its start-up is most of its cost (issue 12's 3 s of CPU)."""
    page = tmp_path / "page.jpg"
    page.write_bytes(b"not an image")
    code = f"import bot; bot.main(['ocr', {str(page)!r}, '--level', 'mazhilis'])"
    assert _loaded(code, (*TELEGRAM, "sqlalchemy", "aiosqlite", "asyncpg")) == []


def test_the_bot_starts_without_the_ocr_engines_charts_or_spreadsheets() -> None:
    code = (
        "import os, tempfile\n"
        "os.environ['HAQBOT_DATABASE__URL'] = "
        "'sqlite+aiosqlite:///' + tempfile.mkdtemp() + '/bot.sqlite3'\n"
        f"os.environ['HAQBOT_SECURITY__ENCRYPTION_KEY'] = {TEST_ENCRYPTION_KEY!r}\n"
        "from emulator.server import LOCAL_TOKEN\n"
        "from runtime.app import build_application\n"
        "from settings import load_settings\n"
        "build_application(load_settings(), token=LOCAL_TOKEN, api_base='http://127.0.0.1:9')\n"
    )
    assert _loaded(code, LATER) == []
