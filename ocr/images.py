"""Turning what an observer sent into a grey page image, or a clear reason why not."""

from __future__ import annotations

import contextlib
import io
import threading
import warnings
from enum import StrEnum

import numpy as np
from PIL import Image, UnidentifiedImageError

# Largest side kept for recognition: a 1280 px Telegram photo is used as is, a 4000 px file is
# reduced (rows are still 60+ px high), which bounds time and memory.
WORKING_SIDE = 2400
MIN_SIDE = 300
# Pillow refuses images over this many pixels as decompression bombs; 12,000 × 12,000 is over.
MAX_PIXELS = 120_000_000
# Pixels a page may cost to decode. A JPEG decodes straight to a fraction of its size (up to
# 1/8 a side), so a 12,000 px photo costs little; a PNG or WebP decodes whole: a 360 KB PNG of
# 10,900 × 10,900 cost 1.6 GB and 12 s. 25 MP is a page scanned at 600 dpi with room to spare,
# and about 75 MB decoded.
DECODE_BUDGET = 25_000_000
# A page that decodes to more than this is oversized: a process decodes one such page at a time,
# so several sent at once cannot add up (25 MP is about 75 MB decoded, and about as much again
# while it is reduced). A 12 MP phone photo sent as a file is under it, and decodes alongside.
OVERSIZED = 13_000_000
_one_oversized_page = threading.Lock()


_EXIF_ORIENTATION = 0x0112
# How to turn a page upright for each EXIF orientation (as ImageOps.exif_transpose does).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


class ImageProblem(StrEnum):
    NOT_AN_IMAGE = "not-an-image"
    DAMAGED = "damaged"
    TOO_SMALL = "too-small"
    TOO_LARGE = "too-large"


class ImageRejected(Exception):
    def __init__(self, problem: ImageProblem, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)
        self.problem = problem


def _ink_black_stamps_pale(image: Image.Image) -> Image.Image:
    """Grey as the brightest of the three channels: black print stays black, the blue of a stamp
    over the table turns pale (its blue channel is bright), blue pen stays readable."""
    if image.mode in ("L", "1", "I", "I;16", "F"):
        return image.convert("L")
    rgb = np.asarray(image.convert("RGB"))
    return Image.fromarray(rgb.max(axis=2))


def header_problem(data: bytes) -> ImageProblem | None:
    """What is wrong with a page, from its header alone (nothing decoded): the dialog says so
    when the page arrives instead of after "Done"."""
    if not data:
        return ImageProblem.NOT_AN_IMAGE
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
    except UnidentifiedImageError:
        return ImageProblem.NOT_AN_IMAGE
    except Image.DecompressionBombError:
        return ImageProblem.TOO_LARGE
    except (OSError, ValueError, SyntaxError):
        return ImageProblem.DAMAGED
    if width * height > MAX_PIXELS or _decoded_pixels(image) > DECODE_BUDGET:
        return ImageProblem.TOO_LARGE
    if min(width, height) < MIN_SIDE:
        return ImageProblem.TOO_SMALL
    return None


def _decoded_pixels(image: Image.Image) -> int:
    """What decoding will cost, in pixels, once a JPEG is told to decode small (nothing is
    decoded here: draft only sets the decoder's scale)."""
    if image.format == "JPEG":
        image.draft("RGB", (WORKING_SIDE, WORKING_SIDE))
    return image.width * image.height


def decode_cost(data: bytes) -> int:
    """Pixels a page will cost to decode, from its header (0 when it cannot be opened: reading
    it will say why)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                return _decoded_pixels(image)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        return 0


def load_grey(data: bytes) -> np.ndarray:
    """JPEG, PNG, WebP (HEIC arrives from Telegram converted to JPEG), EXIF orientation honoured,
    reduced to WORKING_SIDE; as an 8-bit grey array."""
    if not data:
        raise ImageRejected(ImageProblem.NOT_AN_IMAGE, "empty file")
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise ImageRejected(ImageProblem.TOO_LARGE, f"{image.width}×{image.height}")
            if min(image.size) < MIN_SIDE:
                raise ImageRejected(ImageProblem.TOO_SMALL, f"{image.width}×{image.height}")
            # JPEG can decode straight to a smaller size: a 12 MP photo costs a fraction.
            if _decoded_pixels(image) > DECODE_BUDGET:
                raise ImageRejected(
                    ImageProblem.TOO_LARGE, f"{image.width}×{image.height} to decode"
                )
            orientation = image.getexif().get(_EXIF_ORIENTATION)
            oversized = _decoded_pixels(image) > OVERSIZED
            with _one_oversized_page if oversized else contextlib.nullcontext():
                image.load()
                # Reduced before any full-size copy (rotation, colour to grey), which each cost
                # as much as the decoded page again.
                factor = max(image.size) // WORKING_SIDE
                if factor >= 2:
                    image = image.reduce(factor)
                if orientation in _UPRIGHT:
                    image = image.transpose(_UPRIGHT[orientation])
                image = _ink_black_stamps_pale(image)
    except ImageRejected:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        if isinstance(error, UnidentifiedImageError):
            raise ImageRejected(ImageProblem.NOT_AN_IMAGE) from error
        raise ImageRejected(ImageProblem.TOO_LARGE, str(error)) from error
    except (OSError, ValueError, SyntaxError) as error:  # truncated or corrupt data
        raise ImageRejected(ImageProblem.DAMAGED, str(error)) from error
    if max(image.size) > WORKING_SIDE:
        image.thumbnail((WORKING_SIDE, WORKING_SIDE), Image.LANCZOS)
    return np.asarray(image, dtype=np.uint8)
