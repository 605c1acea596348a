"""What uploaded bytes are, read from their first bytes and headers — before any decoding.

Used by `cnnviz.imageio` to refuse a decompression bomb from its header alone and to explain a
refusal in words a learner can act on ("this is a PDF", "this is an HEIC photo from an iPhone").
Reads bytes only; never decodes pixels.
"""

from __future__ import annotations

import codecs
import io
import re
import struct

from PIL import BmpImagePlugin, GifImagePlugin, JpegImagePlugin, PngImagePlugin, TiffImagePlugin

MAX_PIXELS = 36_000_000
"""The most pixels cnnviz opens (width × height, from the header)."""
FORMAT_LIST = "PNG, JPEG, GIF, BMP, WebP or TIFF"
CHOOSE_IMAGE = "Choose a PNG or JPEG image."


def too_many_pixels_message(width: int, height: int) -> str:
    return (
        f"This image's header says it is {width}×{height} pixels ({width * height:,} in all), "
        f"more than the {MAX_PIXELS:,} pixels cnnviz will open. If it is a real photo, shrink it "
        "(for example to 4000×3000) and try again; a small file that claims a huge size may be "
        "a 'decompression bomb' meant to exhaust the server's memory."
    )


_BMP_INFO_HEADER_SIZES = (40, 52, 56, 64, 108, 124)


def peek_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the fixed-offset headers of PNG, GIF, BMP and WebP, else None.

    JPEG and TIFF need their headers walked; Pillow's own parser does that in ``_read``.
    """
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        # A 0×0 logical screen is legal: Pillow then uses the first frame's size.
        return (width, height) if width and height else None
    if data.startswith(b"BM") and len(data) >= 26:
        header_size = struct.unpack("<I", data[14:18])[0]
        if header_size == 12:  # OS/2 BITMAPCOREHEADER: unsigned 16-bit sizes
            return struct.unpack("<HH", data[18:22])
        if header_size in _BMP_INFO_HEADER_SIZES:  # else it is not a BMP (e.g. text "BMW ...")
            width, height = struct.unpack("<ii", data[18:26])
            return width, abs(height)  # a negative height means rows are stored top-down
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and len(data) >= 30:
        return _peek_webp_size(data)
    return None


def _peek_webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X":  # extended format: 24-bit canvas size minus one
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    if chunk == b"VP8L" and data[20] == 0x2F:  # lossless: two 14-bit sizes minus one
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":  # lossy key frame
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    return None


# --- explaining refusals ---------------------------------------------------------------------

# Parsers of the supported formats that read only the header, without Image.open's size check.
_HEADER_PARSERS = (
    JpegImagePlugin.JpegImageFile,
    TiffImagePlugin.TiffImageFile,
    PngImagePlugin.PngImageFile,
    GifImagePlugin.GifImageFile,
    BmpImagePlugin.BmpImageFile,
)


def bomb_message(data: bytes) -> str:
    """Pillow refused a gigantic canvas inside Image.open; name the size its header claims."""
    for parser in _HEADER_PARSERS:
        try:
            with parser(io.BytesIO(data)) as im:
                return too_many_pixels_message(*im.size)
        except Exception:  # not this format (or unreadable): try the next one
            continue
    return (
        f"This image's header claims an enormous canvas, far more than the {MAX_PIXELS:,} "
        "pixels cnnviz will open; it may be a 'decompression bomb' meant to exhaust the "
        f"server's memory. {CHOOSE_IMAGE}"
    )


_SUPPORTED_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"II+\x00", "TIFF"),
    (b"MM\x00+", "TIFF"),
)

_FOREIGN_SIGNATURES = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (Word, Excel and PowerPoint files are ZIP archives too)"),
    (b"8BPS", "a Photoshop (PSD) file"),
    (b"\x00\x00\x01\x00", "a Windows icon (ICO)"),
    (b"\x00\x00\x02\x00", "a Windows cursor (CUR)"),
    (b"%!PS", "a PostScript (EPS) file"),
    (b"\xc5\xd0\xd3\xc6", "a PostScript (EPS) file"),
    (b"\xff\x4f\xff\x51", "a JPEG 2000 image"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "a JPEG 2000 image"),
    (b"qoif", "a QOI image"),
    (b"DDS ", "a DirectDraw texture (DDS)"),
    (b"icns", "a macOS icon (ICNS)"),
    (b"\x76\x2f\x31\x01", "an OpenEXR image"),
    (b"#?RADIANCE", "a Radiance HDR image"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"MZ", "a Windows program"),
    (b"ID3", "an MP3 audio file"),
    (b"OggS", "an Ogg audio or video file"),
    (b"fLaC", "a FLAC audio file"),
    (b"\x1a\x45\xdf\xa3", "a WebM or MKV video"),
)

_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1")


def unreadable_message(data: bytes) -> str:
    """Say, in plain words, why bytes that Pillow could not decode are not a usable image."""
    head = data[:1024]
    text = _as_text(head)
    if text is not None and _is_svg(text):
        return (
            "This is an SVG drawing. SVG is a vector format, which cnnviz cannot read; "
            "export it as PNG (any drawing program or browser can) and upload that."
        )
    foreign = _foreign_format(head)
    if foreign is not None:
        return (
            f"This looks like {foreign}, which cnnviz cannot read. Supported formats: "
            f"{FORMAT_LIST}. Convert it to PNG or JPEG and try again."
        )
    if text is not None:
        kind = _text_kind(text)
        return f"This file does not look like an image: it contains {kind}. {CHOOSE_IMAGE}"
    supported = _supported_format(head)
    if supported is not None:
        return (
            f"This looks like a {supported} image, but it is damaged or incomplete (perhaps cut "
            "short while downloading or copying), so it cannot be read. Open it in an image "
            "viewer and save it again, or choose another image."
        )
    return (
        "This file does not look like an image: its first bytes match none of the supported "
        f"formats ({FORMAT_LIST}). {CHOOSE_IMAGE}"
    )


def _supported_format(head: bytes) -> str | None:
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    return next((name for magic, name in _SUPPORTED_SIGNATURES if head.startswith(magic)), None)


def _foreign_format(head: bytes) -> str | None:
    if head[4:8] == b"ftyp":  # ISO media: HEIC/AVIF photos and MP4/MOV videos
        brand = head[8:12]
        if brand in _HEIF_BRANDS:
            return "a HEIC photo (the iPhone's default format; export it as JPEG)"
        return "an AVIF image" if brand in (b"avif", b"avis") else "a video (MP4 or MOV)"
    if head[:4] == b"RIFF" and head[8:12] in (b"WAVE", b"AVI "):
        return "a WAV audio file" if head[8:12] == b"WAVE" else "an AVI video"
    if re.match(rb"P[1-7]\s+\d", head):
        return "a Netpbm (PBM/PGM/PPM) image"
    return next((name for magic, name in _FOREIGN_SIGNATURES if head.startswith(magic)), None)


def _as_text(head: bytes) -> str | None:
    """The first KB decoded as UTF-8 or UTF-16 if it reads as printable text, else None."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    elif len(head) >= 4 and not any(head[1::2][:32]):  # ASCII stored as UTF-16 without a BOM
        codec = "utf-16-le"
    elif len(head) >= 4 and not any(head[0::2][:32]):
        codec = "utf-16-be"
    else:
        codec = "utf-8-sig"
    try:  # an incremental decoder tolerates a character cut at the 1 KB boundary
        text = codecs.getincrementaldecoder(codec)().decode(head, final=False)
    except UnicodeDecodeError:
        return None
    if not text.strip() or not all(ch.isprintable() or ch in "\t\n\r\f\v" for ch in text):
        return None
    return text


def _is_svg(text: str) -> bool:
    start = text.lstrip().lower()
    return start.startswith("<svg") or (start.startswith(("<?xml", "<!")) and "<svg" in start)


def _text_kind(text: str) -> str:
    start = text.lstrip().lower()
    if start.startswith("data:image/"):
        return "a data: URL (an image written out as text; save the image itself instead)"
    if start.startswith(("<!doctype html", "<html")) or "<html" in start:
        return "an HTML web page"
    if start.startswith(("{", "[")):
        return "JSON data"
    if start.startswith("<"):
        return "XML"
    return "plain text"
