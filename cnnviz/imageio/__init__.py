"""Bytes a learner uploads -> a safe, bounded uint8 image array.

This is the only package in cnnviz that decodes user uploads (`cnnviz.imageio.sniff` reads what
the bytes are from their headers, before any decoding). Images come out in the layout the
lessons use for pictures: ``(H, W, 3)`` RGB (or ``(H, W)`` grayscale), dtype ``uint8``, values
0..255, with the longer side at most ``max_side`` pixels.

Everything that can go wrong with the bytes themselves is reported as :class:`ImageLoadError`
(a ``ValueError``) whose message says what was wrong and what to do next. Safety rules:

* only the formats in :data:`SUPPORTED_FORMATS` are ever tried (Pillow would otherwise also try
  EPS, which runs Ghostscript);
* the image size is checked from the header, before any pixel is decoded, so a small file that
  claims a gigantic canvas (a "decompression bomb") is refused without allocating it;
* truncated files are refused (we never set ``ImageFile.LOAD_TRUNCATED_IMAGES``);
* nothing is written to disk and no global state is changed (Streamlit runs sessions in
  threads). Warnings are therefore not silenced either: for a JPEG or TIFF header above
  Pillow's 89-megapixel warning level, Pillow emits its ``DecompressionBombWarning`` just
  before this module refuses the image.
"""

from __future__ import annotations

import io
import operator
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import ExifTags, Image, ImageOps

from cnnviz.imageio import sniff

__all__ = [
    "MAX_PIXELS",
    "MAX_UPLOAD_BYTES",
    "SUPPORTED_FORMATS",
    "WORKING_SIDE",
    "ImageLoadError",
    "LoadedImage",
    "load_image",
    "read_image",
]

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = sniff.MAX_PIXELS
WORKING_SIDE = 1024
SUPPORTED_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF")

_CHOOSE_IMAGE = sniff.CHOOSE_IMAGE


class ImageLoadError(ValueError):
    """The uploaded bytes cannot be used as an image; the message tells the learner why."""


@dataclass(frozen=True)
class LoadedImage:
    """A decoded upload and what was done to it.

    pixels : (H, W, 3) uint8 RGB, or (H, W) uint8 when read with ``mode="L"``; C-contiguous
        and writable; ``max(H, W) <= max_side`` and ``min(H, W) >= 1``.
    format : the container format Pillow identified, one of :data:`SUPPORTED_FORMATS`.
    original_size : (height, width) as stored in the file, after EXIF rotation, before any
        downscaling.
    notes : plain sentences for the learner about every change made (rotation, transparency,
        bit depth, colour model, animation, downscaling), in the order they were applied.
    """

    pixels: np.ndarray
    format: str
    original_size: tuple[int, int]
    notes: tuple[str, ...]


def load_image(data: bytes, *, max_side: int = WORKING_SIDE, mode: str = "RGB") -> np.ndarray:
    """Decode uploaded bytes to a uint8 array; ``read_image(...).pixels``.

    Returns (H, W, 3) RGB for ``mode="RGB"`` or (H, W) for ``mode="L"``. Raises
    :class:`ImageLoadError` for any bytes that are not a usable image; see :func:`read_image`.
    """
    return read_image(data, max_side=max_side, mode=mode).pixels


def read_image(data: bytes, *, max_side: int = WORKING_SIDE, mode: str = "RGB") -> LoadedImage:
    """Decode uploaded bytes to a bounded uint8 image, with notes on what was changed.

    Steps: check the size in the header -> decode (first frame only) -> turn upright with the
    EXIF orientation -> 16-bit or float values to 0..255 -> transparency onto white -> RGB ->
    shrink with cv2.INTER_AREA so ``max(H, W) <= max_side`` -> grayscale if ``mode="L"``
    (BT.601: ``Y = 0.299 R + 0.587 G + 0.114 B``, as ``cv2.COLOR_RGB2GRAY``).

    Parameters
    ----------
    data : bytes, bytearray or memoryview
        The file exactly as uploaded. Anything in it is safe to pass.
    max_side : int
        Longest side of the returned image; larger images are scaled down, never up.
    mode : {"RGB", "L"}
        "RGB" returns (H, W, 3); "L" returns (H, W) grayscale.

    Returns
    -------
    LoadedImage

    Raises
    ------
    ImageLoadError
        For every problem with the bytes (empty, too large, not an image, an unsupported
        format, damaged or truncated, too many pixels, ...). No other exception escapes for
        bad bytes.
    TypeError, ValueError
        Only for programming errors: ``data`` not bytes-like, ``max_side < 1`` or a ``mode``
        other than "RGB" and "L".
    """
    max_side = _check_arguments(data, max_side, mode)
    _check_upload_size(memoryview(data).nbytes)
    data = bytes(data)
    try:
        return _read(data, max_side, mode)
    except ImageLoadError:
        raise
    except Image.DecompressionBombError as exc:
        raise ImageLoadError(sniff.bomb_message(data)) from exc
    except MemoryError:
        raise ImageLoadError(
            "The server ran out of memory while decoding this image. "
            "Choose an image with fewer pixels."
        ) from None
    except Exception as exc:  # whatever a decoder throws at odd bytes, the learner gets a sentence
        raise ImageLoadError(sniff.unreadable_message(data)) from exc


# --- the decoding pipeline -------------------------------------------------------------------


def _read(data: bytes, max_side: int, mode: str) -> LoadedImage:
    _check_declared_size(sniff.peek_size(data))  # refuse bombs before Pillow parses anything
    with Image.open(io.BytesIO(data), formats=SUPPORTED_FORMATS) as im:
        _check_declared_size(im.size)
        stored_size = im.size  # (width, height); a JPEG draft below may shrink im.size
        if im.format in ("JPEG", "MPO"):
            _draft_jpeg(im, _fitted_size(*stored_size, max_side))
        im.load()
        decoded_size = im.size
        upright, orientation = _exif_upright(im)
        pixels, notes = _to_uint8(upright)
        notes += _first_frame_note(im)
        file_format = "JPEG" if im.format == "MPO" else im.format
    width, height = stored_size[::-1] if orientation in (5, 6, 7, 8) else stored_size
    if orientation != 1:
        notes.insert(0, _ORIENTATION_NOTES[orientation])
    pixels, resize_notes = _shrink(pixels, (width, height), max_side, decoded_size != stored_size)
    pixels = np.require(_as_mode(pixels, mode), np.uint8, ["C_CONTIGUOUS", "WRITEABLE"])
    return LoadedImage(pixels, file_format, (height, width), tuple(notes + resize_notes))


def _check_arguments(data: object, max_side: int, mode: str) -> int:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(
            f"data must be bytes (e.g. uploaded_file.getvalue()), got {type(data).__name__}"
        )
    if isinstance(max_side, bool):
        raise TypeError("max_side must be an int, got bool")
    max_side = operator.index(max_side)
    if max_side < 1:
        raise ValueError(f"max_side must be at least 1, got {max_side}")
    if mode not in ("RGB", "L"):
        raise ValueError(f'mode must be "RGB" or "L", got {mode!r}')
    return max_side


def _check_upload_size(n_bytes: int) -> None:
    if n_bytes == 0:
        raise ImageLoadError(f"This file is empty (0 bytes). {_CHOOSE_IMAGE}")
    if n_bytes > MAX_UPLOAD_BYTES:
        raise ImageLoadError(
            f"This file is {n_bytes:,} bytes ({n_bytes / 2**20:.2f} MB), but cnnviz accepts "
            f"files up to {MAX_UPLOAD_BYTES // 2**20} MB ({MAX_UPLOAD_BYTES:,} bytes). Shrink "
            "the image or save it as a JPEG, then try again."
        )


def _check_declared_size(size: tuple[int, int] | None) -> None:
    """Refuse a (width, height) header before decoding: zero-sized or more than MAX_PIXELS."""
    if size is None:
        return
    width, height = size
    if width <= 0 or height <= 0:
        raise ImageLoadError(
            f"This image has no pixels: its header says it is {width}×{height}. "
            f"The file is probably damaged. {_CHOOSE_IMAGE}"
        )
    if width * height > MAX_PIXELS:
        raise ImageLoadError(sniff.too_many_pixels_message(width, height))


def _draft_jpeg(im: Image.Image, target: tuple[int, int]) -> None:
    """Let libjpeg decode a big photo at 1/2, 1/4 or 1/8 size; INTER_AREA does the rest.

    Asking for twice the final size (as ``Image.thumbnail`` does) keeps the last, quality-
    defining step in cv2.INTER_AREA.
    """
    if target != im.size:
        im.draft(None, (2 * target[0], 2 * target[1]))


_ORIENTATION_NOTES = {
    2: "The photo was mirrored using its EXIF orientation tag.",
    3: "The photo was rotated upright using its EXIF orientation tag.",
    4: "The photo was flipped upright using its EXIF orientation tag.",
    5: "The photo was rotated and mirrored upright using its EXIF orientation tag.",
    6: "The photo was rotated upright using its EXIF orientation tag.",
    7: "The photo was rotated and mirrored upright using its EXIF orientation tag.",
    8: "The photo was rotated upright using its EXIF orientation tag.",
}


def _exif_upright(im: Image.Image) -> tuple[Image.Image, int]:
    """Return the image turned upright and the EXIF orientation applied (1 = none).

    Edited photos often carry a damaged EXIF block; then the image is shown as stored.
    """
    try:
        orientation = im.getexif().get(ExifTags.Base.Orientation, 1)
        if orientation not in _ORIENTATION_NOTES:
            return im, 1  # exif_transpose would only copy the pixels
        return ImageOps.exif_transpose(im), orientation
    except Exception:
        return im, 1


def _first_frame_note(im: Image.Image) -> list[str]:
    try:
        animated = bool(getattr(im, "is_animated", False))
    except Exception:  # a damaged later frame does not matter: only the first one is used
        return []
    if not animated:
        return []
    if im.format == "TIFF":
        return ["Only the first page of the multi-page TIFF is used."]
    if im.format in ("JPEG", "MPO"):
        return ["Only the first picture of the multi-picture JPEG is used."]
    kind = {"WEBP": "WebP"}.get(im.format, im.format)
    return [f"Only the first frame of the animated {kind} is used."]


# --- pixel values to uint8 -------------------------------------------------------------------

# round(v * 255 / 65535) == (v + 128) // 257 exactly for every 16-bit v (no ties exist).
_SIXTEEN_TO_EIGHT_BITS = ((np.arange(65536, dtype=np.uint32) + 128) // 257).astype(np.uint8)
_SIXTEEN_TO_EIGHT_BITS.flags.writeable = False


def _to_uint8(im: Image.Image) -> tuple[np.ndarray, list[str]]:
    """Any Pillow mode -> (H, W) gray or (H, W, 3) RGB uint8, plus notes on what changed."""
    if im.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        return _integers_to_uint8(im)
    if im.mode == "F":
        return _stretch_to_uint8(np.asarray(im, dtype=np.float64))
    if im.has_transparency_data:
        return _composite_on_white(im)
    if im.mode in ("1", "L"):
        return np.asarray(im if im.mode == "L" else im.convert("L")), []
    notes = ["CMYK colours were converted to RGB."] if im.mode == "CMYK" else []
    return np.asarray(im if im.mode == "RGB" else _convert(im, "RGB")), notes


def _convert(im: Image.Image, mode: str) -> Image.Image:
    try:
        return im.convert(mode)
    except ValueError:  # e.g. LAB: Pillow has no conversion without a colour profile
        raise ImageLoadError(
            f"This image uses the {im.mode} colour mode, which cnnviz cannot convert to RGB. "
            "Save it as an ordinary RGB PNG or JPEG and try again."
        ) from None


def _integers_to_uint8(im: Image.Image) -> tuple[np.ndarray, list[str]]:
    """16-bit gray -> 0..255 by v / 257 (65535 -> 255, not clipped); other integers stretched.

    Mode "I" is 32-bit signed; its values are treated as 16-bit when they fit in 0..65535
    (older Pillow opened 16-bit PNGs that way), otherwise they are min-max stretched.
    """
    values = np.asarray(im)  # (H, W) uint16 in either byte order, or int32
    if values.min() < 0 or values.max() > 65535:
        return _stretch_to_uint8(values.astype(np.float64))
    gray = _SIXTEEN_TO_EIGHT_BITS[values]
    notes = ["16-bit values were scaled to 0–255."]
    transparent_value = im.info.get("transparency")
    if isinstance(transparent_value, int):  # a PNG tRNS chunk names one see-through gray value
        see_through = values == transparent_value
        if see_through.any():
            gray[see_through] = 255
            notes.append("Transparent pixels were placed on a white background.")
    return gray, notes


def _stretch_to_uint8(values: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Min-max stretch (H, W) float64 values to 0..255.

    out = round((v - lo) * 255 / (hi - lo)) over the finite values; NaN and -inf count as lo,
    +inf as hi; an image with one value everywhere becomes mid gray (128).
    """
    finite = np.isfinite(values)
    if not finite.any():
        return np.zeros(values.shape, np.uint8), [
            "No pixel holds an ordinary number (all are NaN or infinite), so the image is black."
        ]
    lo = float(values.min(where=finite, initial=np.inf))
    hi = float(values.max(where=finite, initial=-np.inf))
    notes = []
    n_odd = values.size - int(np.count_nonzero(finite))
    if n_odd:
        notes.append(
            f"{n_odd:,} of {values.size:,} pixels held NaN or an infinity; NaN and −∞ are shown "
            "like the lowest value, +∞ like the highest."
        )
    if hi == lo:
        return np.full(values.shape, 128, np.uint8), [
            f"Every pixel has the same value ({lo:.6g}), so the image is shown as mid gray.",
            *notes,
        ]
    np.nan_to_num(values, copy=False, nan=lo, posinf=hi, neginf=lo)
    scaled = np.rint((values - lo) * (255.0 / (hi - lo)))
    notes.insert(0, f"Values from {lo:.6g} to {hi:.6g} were stretched to 0–255.")
    return np.clip(scaled, 0, 255).astype(np.uint8), notes


def _composite_on_white(im: Image.Image) -> tuple[np.ndarray, list[str]]:
    """Alpha-blend onto white: out = round(C * a / 255) + (255 - a) for each colour C.

    Done with OpenCV on one array: Pillow's convert/alpha_composite chain makes several
    full-size copies, which matters for a 36-megapixel upload.
    """
    rgba = np.asarray(im if im.mode == "RGBA" else _convert(im, "RGBA"))  # (H, W, 4)
    if rgba[..., 3].min() == 255:  # an alpha channel, but nothing is see-through
        return cv2.cvtColor(rgba, cv2.COLOR_RGBA2RGB), []
    blended = cv2.cvtColor(rgba, cv2.COLOR_RGBA2mRGBA)  # premultiplied: round(C * a / 255)
    blended[..., :3] += 255 - blended[..., 3:]  # cannot overflow, as round(C * a / 255) <= a
    note = "Transparent pixels were placed on a white background."
    return cv2.cvtColor(blended, cv2.COLOR_RGBA2RGB), [note]


# --- size and mode ---------------------------------------------------------------------------


def _fitted_size(width: int, height: int, max_side: int) -> tuple[int, int]:
    """(width, height) scaled by max_side / max(width, height) if larger; every side >= 1."""
    longest = max(width, height)
    if longest <= max_side:
        return width, height
    # Integer rounding keeps the longer side exactly max_side.
    return (
        max(1, (width * max_side + longest // 2) // longest),
        max(1, (height * max_side + longest // 2) // longest),
    )


def _shrink(
    pixels: np.ndarray, original: tuple[int, int], max_side: int, drafted: bool
) -> tuple[np.ndarray, list[str]]:
    """pixels (H, W[, 3]) -> the size _fitted_size gives for original (width, height)."""
    width, height = original
    new_width, new_height = _fitted_size(width, height, max_side)
    if (new_width, new_height) == (width, height):
        return pixels, []
    if pixels.shape[:2] != (new_height, new_width):
        pixels = cv2.resize(pixels, (new_width, new_height), interpolation=cv2.INTER_AREA)
    how = "JPEG draft decoding, then cv2.INTER_AREA" if drafted else "cv2.INTER_AREA"
    return pixels, [
        f"Your {width}×{height} image was scaled down to {new_width}×{new_height} ({how}) "
        "so every lesson stays fast."
    ]


def _as_mode(pixels: np.ndarray, mode: str) -> np.ndarray:
    """(H, W) or (H, W, 3) uint8 -> (H, W, 3) for "RGB", (H, W) BT.601 gray for "L"."""
    if mode == "L":
        return pixels if pixels.ndim == 2 else cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
    return cv2.cvtColor(pixels, cv2.COLOR_GRAY2RGB) if pixels.ndim == 2 else pixels
