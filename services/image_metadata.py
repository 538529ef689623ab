"""Metadata out of an image file before it is sent on: EXIF (GPS position, time, camera and its
serial number), XMP, IPTC, comments, PNG text chunks. An observer's evidence, forwarded from a
coordinator's chat, must not say where the observer lives or which phone they own.

Lossless where it can be: the JPEG or PNG stream is kept and only its metadata segments or
chunks are dropped. A JPEG whose EXIF says "rotate me" is turned and re-encoded instead, since
without that tag it would show on its side."""

from __future__ import annotations

import io
import struct

from PIL import Image, ImageOps

# JPEG segments kept: JFIF (APP0), ICC colour profile (APP2), Adobe colour transform (APP14);
# every other APPn (EXIF and XMP in APP1, IPTC in APP13, makers' notes) and comments (COM) go.
_JPEG_KEPT_APP = {0xE0, 0xE2, 0xEE}
_PNG_DROPPED = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_EXIF_ORIENTATION = 0x0112
# Re-encoding is done under Pillow's own pixel cap; larger evidence is left alone (None).
_MAX_PIXELS = 60_000_000


class UnreadableImage(ValueError):
    """The bytes claim to be a JPEG or PNG but are not a well-formed one."""


def strip_image_metadata(content: bytes) -> bytes | None:
    """The image without its metadata; None when it is not a JPEG or PNG (it cannot be
    cleaned here). Raises UnreadableImage for a broken JPEG or PNG."""
    if content.startswith(b"\xff\xd8"):
        if _jpeg_orientation(content) not in (None, 1):
            return _upright_jpeg(content)
        return _strip_jpeg(content)
    if content.startswith(_PNG_SIGNATURE):
        return _strip_png(content)
    return None


def has_metadata(content: bytes) -> bool:
    """Whether a JPEG or PNG carries any of what strip_image_metadata removes (the tests'
    measure of a cleaned file, by the same rules)."""
    if content.startswith(b"\xff\xd8"):
        return any(
            marker not in _JPEG_KEPT_APP and (0xE0 <= marker <= 0xEF or marker == 0xFE)
            for marker, _ in _jpeg_segments(content)
        )
    if content.startswith(_PNG_SIGNATURE):
        return any(kind in _PNG_DROPPED for kind, _ in _png_chunks(content))
    return False


def _jpeg_segments(content: bytes) -> list[tuple[int, bytes]]:
    """(marker, whole segment) up to the start of scan; the last item is the scan and the rest
    of the file, with marker 0xDA."""
    segments: list[tuple[int, bytes]] = []
    position = 2
    while position < len(content):
        if content[position] != 0xFF:
            raise UnreadableImage("JPEG: a segment does not start with 0xFF")
        marker = content[position + 1] if position + 1 < len(content) else None
        if marker is None:
            raise UnreadableImage("JPEG: cut short")
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xDA or marker == 0xD9:
            segments.append((marker, content[position:]))
            return segments
        if position + 4 > len(content):
            raise UnreadableImage("JPEG: cut short")
        (length,) = struct.unpack(">H", content[position + 2 : position + 4])
        end = position + 2 + length
        if length < 2 or end > len(content):
            raise UnreadableImage("JPEG: a segment runs past the end")
        segments.append((marker, content[position:end]))
        position = end
    raise UnreadableImage("JPEG: no image data")


def _strip_jpeg(content: bytes) -> bytes:
    kept = [
        segment
        for marker, segment in _jpeg_segments(content)
        if not (0xE0 <= marker <= 0xEF or marker == 0xFE) or marker in _JPEG_KEPT_APP
    ]
    return b"\xff\xd8" + b"".join(kept)


def _jpeg_orientation(content: bytes) -> int | None:
    try:
        with Image.open(io.BytesIO(content)) as image:
            value = image.getexif().get(_EXIF_ORIENTATION)
    except Exception:
        return None
    return int(value) if isinstance(value, int) else None


def _upright_jpeg(content: bytes) -> bytes:
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.width * image.height > _MAX_PIXELS:
                return _strip_jpeg(content)  # kept on its side rather than decoded whole
            upright = ImageOps.exif_transpose(image)
            icc = image.info.get("icc_profile")
            output = io.BytesIO()
            extra = {"icc_profile": icc} if icc else {}
            upright.convert("RGB").save(output, "JPEG", quality=95, **extra)
    except (OSError, ValueError) as error:
        raise UnreadableImage(f"JPEG: {error}") from error
    # Pillow carries some of it over (the comment): the segments go as for any other JPEG.
    return _strip_jpeg(output.getvalue())


def _png_chunks(content: bytes) -> list[tuple[bytes, bytes]]:
    chunks: list[tuple[bytes, bytes]] = []
    position = len(_PNG_SIGNATURE)
    while position < len(content):
        if position + 8 > len(content):
            raise UnreadableImage("PNG: cut short")
        length, kind = struct.unpack(">I4s", content[position : position + 8])
        end = position + 12 + length
        if end > len(content):
            raise UnreadableImage("PNG: a chunk runs past the end")
        chunks.append((kind, content[position:end]))
        position = end
        if kind == b"IEND":
            break
    return chunks


def _strip_png(content: bytes) -> bytes:
    return _PNG_SIGNATURE + b"".join(
        chunk for kind, chunk in _png_chunks(content) if kind not in _PNG_DROPPED
    )
