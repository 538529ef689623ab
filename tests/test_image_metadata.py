"""Evidence re-sent to coordinators carries no metadata (issue 13): EXIF with the GPS position
and the phone's make, XMP, comments and PNG text are removed; the observer's original keeps it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from emulator.client import EmulatorClient
from emulator.server import EmulatorServer
from services.image_metadata import UnreadableImage, has_metadata, strip_image_metadata
from tests.conftest import COORDINATOR_ID, RunningBot
from tests.test_incidents import observer

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_exif(orientation: int = 1, size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, "white")
    image.paste((200, 0, 0), (0, 0, size[0] // 2, size[1] // 4))  # a red mark, top left
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model SN-4471"  # Model
    exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {1: "N", 2: (43.0, 14.0, 12.5), 3: "E", 4: (76.0, 53.0, 41.0)}
    output = io.BytesIO()
    image.save(output, "JPEG", exif=exif, quality=95, comment=b"home address")
    return output.getvalue()


def test_a_jpeg_loses_its_exif_and_keeps_its_pixels() -> None:
    original = jpeg_with_exif()
    assert has_metadata(original) and b"PhoneMaker" in original
    cleaned = strip_image_metadata(original)
    assert cleaned is not None and not has_metadata(cleaned)
    assert b"PhoneMaker" not in cleaned and b"home address" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert not image.getexif() and image.size == (64, 48)
        with Image.open(io.BytesIO(original)) as before:
            assert image.tobytes() == before.tobytes(), "lossless: the same image data"


def test_a_rotated_jpeg_is_turned_upright_before_its_exif_goes() -> None:
    """EXIF orientation 6 (turn 90° clockwise): without the tag it would show on its side."""
    cleaned = strip_image_metadata(jpeg_with_exif(orientation=6))
    assert cleaned is not None and not has_metadata(cleaned)
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.size == (48, 64) and not image.getexif()
        red, _, _ = image.convert("RGB").getpixel((44, 4))
        assert red > 150, "the mark moved to the top right, as a viewer shows it"


def test_a_png_loses_its_text_chunks() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("GPS", "43.2389,76.8897")
    info.add_itxt("Author", "Наблюдатель")
    output = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(output, "PNG", pnginfo=info)
    original = output.getvalue()
    cleaned = strip_image_metadata(original)
    assert cleaned is not None and has_metadata(original) and not has_metadata(cleaned)
    assert b"43.2389" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.size == (10, 10) and image.getpixel((5, 5)) == (0, 0, 255)


def test_what_cannot_be_cleaned_is_said_so() -> None:
    assert strip_image_metadata(b"%PDF-1.7 ...") is None
    with pytest.raises(UnreadableImage):
        strip_image_metadata(b"\xff\xd8\xff\xe1\xff\xff")


async def test_a_coordinator_gets_the_evidence_file_without_its_gps(
    telegram: EmulatorClient, bot: RunningBot, emulator: EmulatorServer, tmp_path: Path
) -> None:
    coordinator = await telegram.new_user("HQ", language_code="ru", user_id=COORDINATOR_ID)
    await coordinator.send("/start")
    user = await observer(telegram, bot)
    photo = tmp_path / "IMG_home.jpg"
    photo.write_bytes(jpeg_with_exif())
    await user.send("/incident")
    await user.tap("Права наблюдателя")
    await user.tap("Удаление наблюдателя с участка")
    await user.tap("🕒 Сейчас")
    await user.send("Потребовали выйти.")
    await user.send_document(photo)  # as a file: Telegram keeps a file's bytes as they are
    await user.tap("✅ Готово")
    await user.press("Пропустить")
    await user.tap("📨 Отправить")
    await coordinator.refresh()
    documents = [m["document"] for m in coordinator.bot_messages if m.get("document")]
    assert len(documents) == 1, coordinator.bot_messages
    sent = emulator.world.files[documents[0]["file_id"]].content
    assert not has_metadata(sent) and b"PhoneMaker" not in sent
    assert documents[0].get("file_name") == "evidence.jpg", "not the observer's own file name"
    with Image.open(io.BytesIO(sent)) as image:
        assert image.size == (64, 48)
    originals = [
        emulator.world.files[m["document"]["file_id"]].content
        for m in emulator.world.chats[user.id].messages.values()
        if m.get("document") and m.get("from", {}).get("id") == user.id
    ]
    assert originals and has_metadata(originals[0]), "the observer's original keeps it"
