"""Good, odd and hostile upload bytes, crafted in code, for every test that feeds uploads.

``hostile_and_odd_inputs()`` returns :class:`Case` items. Cases with ``expect_ok`` decode to an
image; the others must raise ``cnnviz.imageio.ImageLoadError`` whose message contains
``expect_in_message`` (compare case-insensitively). The helpers that craft bytes (PNG chunks,
header patches, a hand-written TIFF) are public so tests can build variants.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib
from typing import NamedTuple

import numpy as np
from PIL import Image, PngImagePlugin

from cnnviz.imageio import MAX_UPLOAD_BYTES


class Case(NamedTuple):
    name: str
    data: bytes
    expect_ok: bool
    expect_in_message: str | None


# --- byte-crafting helpers -------------------------------------------------------------------


def encode(im: Image.Image, fmt: str, **params) -> bytes:
    """The bytes Pillow writes for ``im`` in ``fmt``."""
    buffer = io.BytesIO()
    im.save(buffer, fmt, **params)
    return buffer.getvalue()


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    """length, type, payload, CRC-32 of type + payload."""
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def raw_png(width: int, height: int, bit_depth: int, colour_type: int, rows: list[bytes]) -> bytes:
    """A PNG written by hand: one IDAT holding ``rows`` (each without its filter byte)."""
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    scanlines = b"".join(b"\x00" + row for row in rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(scanlines))
        + png_chunk(b"IEND", b"")
    )


def patch_png_size(png: bytes, width: int, height: int) -> bytes:
    """Rewrite the IHDR width and height of a valid PNG and fix the chunk's CRC."""
    ihdr = struct.pack(">II", width, height) + png[24:29]
    return png[:8] + png_chunk(b"IHDR", ihdr) + png[33:]


def patch_jpeg_size(jpeg: bytes, width: int, height: int) -> bytes:
    """Rewrite the frame size in a JPEG's SOFn segment (found by walking the segments)."""
    pos = 2
    while True:
        marker, length = jpeg[pos + 1], struct.unpack(">H", jpeg[pos + 2 : pos + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            size = struct.pack(">HH", height, width)
            return jpeg[: pos + 5] + size + jpeg[pos + 9 :]
        pos += 2 + length


def patch_gif_screen(gif: bytes, width: int, height: int) -> bytes:
    """Rewrite a GIF's logical screen size (bytes 6..9, little-endian)."""
    return gif[:6] + struct.pack("<HH", width, height) + gif[10:]


def patch_bmp_size(bmp: bytes, width: int, height: int) -> bytes:
    """Rewrite the width and height of a BMP with a BITMAPINFOHEADER (bytes 18..25)."""
    return bmp[:18] + struct.pack("<ii", width, height) + bmp[26:]


def tiff_gray(width: int, height: int, pixels: bytes) -> bytes:
    """A little-endian, uncompressed, single-strip 8-bit grayscale TIFF written by hand.

    ``pixels`` may be shorter than width * height to claim a canvas the file does not hold.
    """
    short, long_ = 3, 4
    entries = [
        (256, long_, width),  # ImageWidth
        (257, long_, height),  # ImageLength
        (258, short, 8),  # BitsPerSample
        (259, short, 1),  # Compression: none
        (262, short, 1),  # PhotometricInterpretation: black is zero
        (273, long_, 0),  # StripOffsets, patched below
        (277, short, 1),  # SamplesPerPixel
        (278, long_, height),  # RowsPerStrip
        (279, long_, len(pixels)),  # StripByteCounts
    ]
    data_offset = 8 + 2 + 12 * len(entries) + 4
    ifd = struct.pack("<H", len(entries))
    for tag, kind, value in entries:
        value = data_offset if tag == 273 else value
        packed = struct.pack("<HH", value, 0) if kind == short else struct.pack("<I", value)
        ifd += struct.pack("<HHI", tag, kind, 1) + packed
    return b"II*\x00" + struct.pack("<I", 8) + ifd + struct.pack("<I", 0) + pixels


def ramp_16bit() -> np.ndarray:
    """(4, 128) uint16 values spanning 0..65535: every k * 257 plus values next to rounding."""
    exact = np.arange(256, dtype=np.uint32) * 257  # these map to exactly k
    near = np.array([128, 129, 385, 386, 65406, 65407, 65534, 65535, 1, 256], dtype=np.uint32)
    values = np.concatenate([exact, near, np.full(512 - 256 - near.size, 32768)])
    return values.astype(np.uint16).reshape(4, 128)


def quadrants(width: int, height: int) -> Image.Image:
    """An RGB image whose four quadrants are red, green, blue and white (clockwise from top
    left), so a rotation or mirror is visible even after lossy compression."""
    pixels = np.zeros((height, width, 3), np.uint8)
    half_h, half_w = height // 2, width // 2
    pixels[:half_h, :half_w] = (255, 0, 0)
    pixels[:half_h, half_w:] = (0, 255, 0)
    pixels[half_h:, half_w:] = (0, 0, 255)
    pixels[half_h:, :half_w] = (255, 255, 255)
    return Image.fromarray(pixels)


def with_exif_orientation(im: Image.Image, fmt: str, orientation: int, **params) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return encode(im, fmt, exif=exif, **params)


# --- good and odd images ---------------------------------------------------------------------


def rgba_pixels() -> Image.Image:
    """1×3 RGBA: opaque red, fully transparent black, half-transparent red."""
    row = np.array([[[255, 0, 0, 255], [0, 0, 0, 0], [255, 0, 0, 128]]], np.uint8)
    return Image.fromarray(row)


def palette_with_transparency() -> bytes:
    """2×2 palette PNG; index 1 is transparent via the tRNS chunk."""
    im = Image.new("P", (2, 2))
    im.putpalette([10, 20, 30, 200, 0, 0, 0, 0, 255] + [0] * (256 * 3 - 9))
    im.putdata([0, 1, 2, 0])
    return encode(im, "PNG", transparency=1)


def gif_three_frames() -> bytes:
    frames = [
        Image.new("RGB", (8, 6), colour) for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))
    ]
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)


def gif_transparent() -> bytes:
    im = Image.new("P", (4, 4))
    im.putpalette([0, 0, 0, 0, 0, 255] + [0] * (256 * 3 - 6))
    im.putdata([1] * 8 + [0] * 8)  # top half blue, bottom half the transparent index 0
    return encode(im, "GIF", transparency=0)


def sixteen_bit_rgb_png() -> bytes:
    row = struct.pack(">6H", 65535, 0, 257, 32768, 128, 65280)
    return raw_png(2, 1, 16, 2, [row])


def sixteen_bit_gray_with_trns() -> bytes:
    """1×3 16-bit gray PNG [0, 1000, 65535] whose tRNS chunk makes 1000 see-through."""
    return encode(
        Image.fromarray(np.array([[0, 1000, 65535]], np.uint16)), "PNG", transparency=1000
    )


def mpo_two_pictures() -> bytes:
    """A multi-picture JPEG (as some cameras write for 3-D shots): red, then blue."""
    pictures = [Image.new("RGB", (8, 8), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    return encode(pictures[0], "MPO", save_all=True, append_images=pictures[1:])


def float_tiff(values: np.ndarray) -> bytes:
    return encode(Image.fromarray(values.astype(np.float32)), "TIFF")


def multipage_tiff() -> bytes:
    pages = [Image.new("RGB", (5, 4), colour) for colour in ((0, 128, 255), (9, 9, 9))]
    return encode(pages[0], "TIFF", save_all=True, append_images=pages[1:])


def big_jpeg() -> bytes:
    """4200×2800 quadrants: big enough for libjpeg's draft mode to decode it at half size."""
    return encode(quadrants(4200, 2800), "JPEG", quality=90)


def jpeg_with_broken_exif() -> bytes:
    """A 4×2 red JPEG whose APP1 Exif block points its first IFD far past the end."""
    jpeg = encode(Image.new("RGB", (4, 2), (255, 0, 0)), "JPEG", quality=95)
    tiff = b"II*\x00" + struct.pack("<I", 0x7FFFFFFF) + b"\x00" * 8
    app1 = b"\xff\xe1" + struct.pack(">H", 2 + 6 + len(tiff)) + b"Exif\x00\x00" + tiff
    return jpeg[:2] + app1 + jpeg[2:]


def good_and_odd() -> list[Case]:
    gray = Image.fromarray(np.arange(12, dtype=np.uint8).reshape(3, 4) * 20)
    yy, xx = np.mgrid[0:48, 0:64]
    gradient = np.stack([xx * 4, yy * 5, np.full_like(xx, 99)], axis=-1).astype(np.uint8)
    ok = [
        ("png_red", encode(Image.new("RGB", (3, 2), (255, 0, 0)), "PNG")),
        ("png_rgba_transparency", encode(rgba_pixels(), "PNG")),
        ("png_palette_trns", palette_with_transparency()),
        ("png_palette_opaque", encode(Image.new("RGB", (4, 4), (1, 2, 3)).quantize(), "PNG")),
        ("png_gray_L", encode(gray, "PNG")),
        ("png_gray_alpha_LA", encode(Image.new("LA", (2, 2), (100, 0)), "PNG")),
        ("png_gray_trns", encode(gray, "PNG", transparency=0)),
        ("png_16bit_gray", encode(Image.fromarray(ramp_16bit()), "PNG")),
        ("png_16bit_rgb", sixteen_bit_rgb_png()),
        ("png_bilevel_1", encode(Image.new("1", (5, 3), 1), "PNG")),
        ("png_exif_orientation_6", with_exif_orientation(quadrants(3, 2), "PNG", 6)),
        ("png_1x1", encode(Image.new("RGB", (1, 1), (7, 8, 9)), "PNG")),
        ("png_1x3000", encode(Image.new("L", (1, 3000), 200), "PNG")),
        ("png_3000x1", encode(Image.new("L", (3000, 1), 50), "PNG")),
        ("png_6000x10", encode(Image.new("RGB", (6000, 10), (0, 100, 200)), "PNG")),
        ("png_animated_apng", apng_two_frames()),
        ("jpeg_gradient", encode(Image.fromarray(gradient), "JPEG", quality=95)),
        ("jpeg_gray", encode(Image.new("L", (16, 16), 90), "JPEG")),
        ("jpeg_cmyk", encode(Image.new("CMYK", (16, 16), (255, 0, 0, 0)), "JPEG", quality=100)),
        ("jpeg_exif_orientation_8", with_exif_orientation(quadrants(64, 32), "JPEG", 8)),
        ("jpeg_big_draft", big_jpeg()),
        ("jpeg_broken_exif", jpeg_with_broken_exif()),
        ("gif_three_frames", gif_three_frames()),
        ("gif_transparent", gif_transparent()),
        ("bmp_rgb", encode(Image.new("RGB", (3, 2), (10, 200, 30)), "BMP")),
        ("bmp_bilevel", encode(Image.new("1", (9, 3), 1), "BMP")),
        ("webp_lossless_rgba", encode(rgba_pixels(), "WEBP", lossless=True, exact=True)),
        ("webp_animated", webp_two_frames()),
        ("tiff_rgb", encode(Image.new("RGB", (3, 2), (1, 2, 250)), "TIFF", compression="tiff_lzw")),
        ("tiff_16bit_gray", encode(Image.fromarray(ramp_16bit()), "TIFF")),
        # Image.convert("I;16B") would clip to 255 in Pillow 13, so build it from ">u2" data.
        ("tiff_16bit_big_endian", encode(Image.fromarray(ramp_16bit().astype(">u2")), "TIFF")),
        ("tiff_float", float_tiff(np.array([[0.0, 1.0], [0.5, np.nan]]))),
        ("tiff_float_constant", float_tiff(np.full((3, 3), 7.25))),
        ("tiff_int32", encode(Image.fromarray(np.array([[-100, 0, 155]], np.int32)), "TIFF")),
        ("tiff_cmyk", encode(Image.new("CMYK", (2, 2), (0, 0, 0, 255)), "TIFF")),
        ("tiff_multipage", multipage_tiff()),
        ("tiff_handmade_gray", tiff_gray(3, 2, bytes([0, 50, 100, 150, 200, 250]))),
        ("jpeg_mpo_two_pictures", mpo_two_pictures()),
        ("png_16bit_gray_trns", sixteen_bit_gray_with_trns()),
    ]
    return [Case(name, data, True, None) for name, data in ok]


def apng_two_frames() -> bytes:
    frames = [Image.new("RGB", (4, 4), colour) for colour in ((0, 0, 255), (255, 255, 0))]
    return encode(frames[0], "PNG", save_all=True, append_images=frames[1:])


def webp_two_frames() -> bytes:
    frames = [Image.new("RGB", (4, 4), colour) for colour in ((0, 255, 0), (255, 0, 255))]
    return encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True)


# --- hostile and unusable bytes --------------------------------------------------------------


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.png", encode(Image.new("RGB", (2, 2)), "PNG"))
    return buffer.getvalue()


def noisy_png(side: int = 64) -> bytes:
    rng = np.random.default_rng(1)
    return encode(Image.fromarray(rng.integers(0, 256, (side, side, 3), dtype=np.uint8)), "PNG")


def noisy_jpeg(side: int = 64) -> bytes:
    rng = np.random.default_rng(2)
    pixels = rng.integers(0, 256, (side, side, 3), dtype=np.uint8)
    return encode(Image.fromarray(pixels), "JPEG", quality=90)


def png_with_corrupt_crc() -> bytes:
    png = noisy_png(8)
    return png[:29] + bytes([png[29] ^ 0xFF]) + png[30:]  # first byte of the IHDR CRC


def png_with_ztxt_bomb() -> bytes:
    """A 2×2 PNG carrying a zTXt chunk that inflates to 20 MB of text."""
    info = PngImagePlugin.PngInfo()
    info.add_text("comment", "a" * 20_000_000, zip=True)
    return encode(Image.new("L", (2, 2)), "PNG", pnginfo=info)


def webp_canvas_bomb() -> bytes:
    """An animated WebP whose VP8X header claims a 16384×16384 canvas (stored minus one)."""
    webp = webp_two_frames()
    assert webp[12:16] == b"VP8X"
    return webp[:24] + (16383).to_bytes(3, "little") * 2 + webp[30:]


def hostile() -> list[Case]:
    png, jpeg = noisy_png(), noisy_jpeg()
    small_png = encode(Image.new("L", (8, 8)), "PNG")
    small_gif = encode(Image.new("L", (8, 8)), "GIF")
    small_bmp = encode(Image.new("RGB", (8, 8)), "BMP")
    small_jpeg = encode(Image.new("RGB", (8, 8)), "JPEG")
    bad = [
        ("empty", b"", "empty"),
        ("over_5_MB", small_png + b"\x00" * (MAX_UPLOAD_BYTES + 1 - len(small_png)), "5 MB"),
        ("random_bytes", np.random.default_rng(3).bytes(4096), "does not look like an image"),
        ("zip_archive", zip_archive(), "ZIP"),
        ("html_page", b"<!DOCTYPE html>\n<html><body><img src=cat.png></body></html>", "HTML"),
        ("json", b'{"image": "cat.png", "width": 640}', "JSON"),
        ("plain_text", b"just some notes about convolution\n", "does not look like an image"),
        ("text_starting_with_BM", b"BMW and other car makers, a list\n" * 3, "plain text"),
        (
            "utf16_text",
            "Bonjour, réseau convolutif".encode("utf-16"),
            "does not look like an image",
        ),
        ("data_url", b"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB", "data: URL"),
        ("pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n", "PDF"),
        ("svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="10"/>', "export it as PNG"),
        ("svg_with_xml_prolog", b'<?xml version="1.0"?>\n<!-- logo -->\n<svg/>', "SVG"),
        ("ico", encode(Image.new("RGB", (16, 16)), "ICO"), "icon"),
        ("psd", b"8BPS\x00\x01" + b"\x00" * 20, "Photoshop"),
        ("heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 32, "HEIC"),
        ("eps", b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", "PostScript"),
        ("png_truncated", png[: len(png) // 2], "damaged"),
        ("jpeg_truncated", jpeg[: len(jpeg) // 2], "damaged"),
        ("gif_truncated", gif_three_frames()[:40], "damaged"),
        ("png_signature_only", png[:8], "damaged"),
        ("png_bad_crc", png_with_corrupt_crc(), "damaged"),
        ("png_ztxt_bomb", png_with_ztxt_bomb(), "PNG"),
        ("png_bomb_100000x100000", patch_png_size(small_png, 100_000, 100_000), "100000×100000"),
        ("png_just_over_limit", patch_png_size(small_png, 6001, 6000), "6001×6000"),
        ("png_zero_width", patch_png_size(small_png, 0, 8), "no pixels"),
        ("gif_bomb_screen", patch_gif_screen(small_gif, 65535, 65535), "65535×65535"),
        ("bmp_bomb", patch_bmp_size(small_bmp, 100_000, -100_000), "100000×100000"),
        ("bmp_zero_height", patch_bmp_size(small_bmp, 8, 0), "no pixels"),
        ("jpeg_bomb", patch_jpeg_size(small_jpeg, 60_000, 60_000), "60000×60000"),
        ("jpeg_over_limit", patch_jpeg_size(small_jpeg, 7000, 6000), "7000×6000"),
        ("tiff_bomb", tiff_gray(50_000, 50_000, b"\x00" * 64), "50000×50000"),
        ("webp_bomb", webp_canvas_bomb(), "16384×16384"),
    ]
    return [Case(name, data, False, keyword) for name, data, keyword in bad]


@functools.cache
def _all_cases() -> tuple[Case, ...]:
    return tuple(good_and_odd() + hostile())


def hostile_and_odd_inputs() -> list[Case]:
    """Every corpus case, good and odd ones first; built once per process (takes ~1 s)."""
    return list(_all_cases())


def case_named(name: str) -> Case:
    return next(case for case in _all_cases() if case.name == name)
