"""cnnviz.imageio: good, odd and hostile upload bytes (corpus in tests/imageio_corpus.py)."""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
import sys
import tempfile
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFile, ImageOps

from cnnviz import imageio
from cnnviz.imageio import (
    MAX_PIXELS,
    MAX_UPLOAD_BYTES,
    SUPPORTED_FORMATS,
    WORKING_SIDE,
    ImageLoadError,
    LoadedImage,
    load_image,
    read_image,
)
from tests.imageio_corpus import (
    case_named,
    encode,
    hostile_and_odd_inputs,
    noisy_jpeg,
    noisy_png,
    patch_png_size,
    quadrants,
    ramp_16bit,
    tiff_gray,
    webp_two_frames,
    with_exif_orientation,
)

CASES = hostile_and_odd_inputs()
GOOD = [case for case in CASES if case.expect_ok]
BAD = [case for case in CASES if not case.expect_ok]

# Pillow itself warns about some corpus files (a corrupt EXIF block, headers above its own
# 89-megapixel warning level) before cnnviz decides; imageio must not silence warnings globally.
pillow_warnings = pytest.mark.filterwarnings(
    "ignore:Corrupt EXIF data:UserWarning", "ignore::PIL.Image.DecompressionBombWarning"
)

WHITE, RED, BLUE = (255, 255, 255), (255, 0, 0), (0, 0, 255)


def pixels_of(name: str, **kwargs) -> np.ndarray:
    return load_image(case_named(name).data, **kwargs)


# --- the corpus as a whole -------------------------------------------------------------------


def test_corpus_has_at_least_30_cases_with_unique_names():
    assert len(CASES) >= 30
    assert len(GOOD) >= 15 and len(BAD) >= 15
    assert len({case.name for case in CASES}) == len(CASES)
    assert all(case.expect_in_message for case in BAD)


@pillow_warnings
@pytest.mark.parametrize("case", GOOD, ids=lambda case: case.name)
def test_good_input_decodes_to_bounded_uint8_rgb(case):
    loaded = read_image(case.data)

    assert isinstance(loaded, LoadedImage)
    pixels = loaded.pixels
    assert pixels.dtype == np.uint8
    assert pixels.ndim == 3 and pixels.shape[2] == 3
    assert min(pixels.shape[:2]) >= 1 and max(pixels.shape[:2]) <= WORKING_SIDE
    assert pixels.flags.c_contiguous and pixels.flags.writeable
    assert loaded.format in SUPPORTED_FORMATS
    height, width = loaded.original_size
    if max(height, width) <= WORKING_SIDE:
        assert pixels.shape[:2] == (height, width)
    else:
        assert max(pixels.shape[:2]) == WORKING_SIDE
    assert isinstance(loaded.notes, tuple) and all(isinstance(n, str) and n for n in loaded.notes)


@pillow_warnings
@pytest.mark.parametrize("case", GOOD, ids=lambda case: case.name)
def test_mode_L_is_the_bt601_gray_of_the_rgb_result(case):
    rgb = load_image(case.data)
    gray = load_image(case.data, mode="L")

    assert gray.dtype == np.uint8 and gray.shape == rgb.shape[:2]
    np.testing.assert_array_equal(gray, cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))


@pillow_warnings
@pytest.mark.parametrize("case", BAD, ids=lambda case: case.name)
def test_hostile_input_raises_image_load_error_naming_the_problem(case):
    with pytest.raises(ImageLoadError) as info:
        read_image(case.data)

    message = str(info.value)
    assert case.expect_in_message.lower() in message.lower()
    assert isinstance(info.value, ValueError)
    # Every refusal also tells the learner what to do next.
    assert re.search(r"\b(choose|convert|export|shrink|save|try)\b", message, re.IGNORECASE)


# --- representative pixel values -------------------------------------------------------------


def test_pure_red_png_reads_as_255_0_0():
    np.testing.assert_array_equal(pixels_of("png_red"), np.full((2, 3, 3), RED, np.uint8))


@pytest.mark.parametrize("name", ["png_rgba_transparency", "webp_lossless_rgba"])
def test_alpha_is_composited_onto_white(name):
    loaded = read_image(case_named(name).data)

    opaque_red, transparent, half_red = loaded.pixels[0].astype(int)
    assert tuple(opaque_red) == RED
    assert tuple(transparent) == WHITE
    # alpha 128 over white: 255 * 128/255 + 255 * 127/255 = 255; 0 * 128/255 + 255 * 127/255 = 127
    np.testing.assert_allclose(half_red, (255, 127, 127), atol=1)
    assert "Transparent pixels were placed on a white background." in loaded.notes


def test_palette_png_with_trns_shows_the_transparent_index_as_white():
    expected = np.array([[(10, 20, 30), WHITE], [BLUE, (10, 20, 30)]], np.uint8)
    np.testing.assert_array_equal(pixels_of("png_palette_trns"), expected)


def test_gray_alpha_fully_transparent_is_white_and_tRNS_gray_value_too():
    assert (pixels_of("png_gray_alpha_LA") == 255).all()
    gray = pixels_of("png_gray_trns")  # gray values 0, 20, ..., 220; tRNS makes 0 see-through
    np.testing.assert_array_equal(gray[0, :3, 0], [255, 20, 40])


def test_gif_transparent_index_is_white_and_other_pixels_keep_their_colour():
    expected = np.array([[BLUE] * 4] * 2 + [[WHITE] * 4] * 2, np.uint8)
    np.testing.assert_array_equal(pixels_of("gif_transparent"), expected)


@pytest.mark.parametrize("name", ["png_16bit_gray", "tiff_16bit_gray", "tiff_16bit_big_endian"])
def test_16bit_gray_is_scaled_by_255_over_65535_not_clipped(name):
    loaded = read_image(case_named(name).data, mode="L")
    ramp = ramp_16bit().astype(np.float64)

    np.testing.assert_array_equal(loaded.pixels, np.round(ramp * 255 / 65535).astype(np.uint8))
    # Worked examples: k * 257 -> k exactly; 385/257 = 1.498 -> 1; 386/257 = 1.502 -> 2.
    values_to_gray = dict(zip(ramp.ravel().astype(int), loaded.pixels.ravel(), strict=True))
    expected = {0: 0, 257: 1, 128: 0, 129: 1, 385: 1, 386: 2, 32768: 128, 65406: 254}
    expected |= {65407: 255, 65534: 255, 65535: 255, 200 * 257: 200}
    assert {value: values_to_gray[value] for value in expected} == expected
    assert "16-bit values were scaled to 0–255." in loaded.notes


def test_16bit_gray_with_trns_shows_the_transparent_value_as_white():
    loaded = read_image(case_named("png_16bit_gray_trns").data, mode="L")
    np.testing.assert_array_equal(loaded.pixels, [[0, 255, 255]])  # 1000 is see-through
    assert loaded.notes == (
        "16-bit values were scaled to 0–255.",
        "Transparent pixels were placed on a white background.",
    )


def test_16bit_rgb_png_keeps_its_colours():
    # Pillow 13 reduces 16-bit RGB PNGs to 8 bits itself (the high byte) when it opens them.
    np.testing.assert_array_equal(pixels_of("png_16bit_rgb"), [[[255, 0, 1], [128, 0, 255]]])


def test_bilevel_white_is_255():
    assert (pixels_of("png_bilevel_1") == 255).all()
    assert (pixels_of("bmp_bilevel") == 255).all()


def test_float_tiff_is_min_max_stretched_and_nan_shown_as_the_lowest_value():
    loaded = read_image(case_named("tiff_float").data, mode="L")

    # values [[0, 1], [0.5, NaN]] -> round(255 * v) and NaN like the minimum
    np.testing.assert_array_equal(loaded.pixels, [[0, 255], [128, 0]])
    assert loaded.notes[0] == "Values from 0 to 1 were stretched to 0–255."
    assert "NaN" in loaded.notes[1]


def test_float_tiff_with_one_value_everywhere_is_mid_gray():
    loaded = read_image(case_named("tiff_float_constant").data, mode="L")
    assert (loaded.pixels == 128).all()
    assert "mid gray" in loaded.notes[0]


def test_float_tiff_without_any_finite_value_is_black():
    data = encode(Image.fromarray(np.array([[np.nan, np.inf]], np.float32)), "TIFF")
    loaded = read_image(data, mode="L")
    np.testing.assert_array_equal(loaded.pixels, [[0, 0]])
    assert "NaN" in loaded.notes[0]


def test_float_tiff_with_infinities_maps_them_to_the_ends():
    values = np.array([[-np.inf, 2.0, 4.0, np.inf]], np.float32)
    data = encode(Image.fromarray(values), "TIFF")
    np.testing.assert_array_equal(load_image(data, mode="L"), [[0, 0, 255, 255]])


def test_32bit_integer_tiff_within_16_bits_is_scaled_like_16_bit():
    data = encode(Image.fromarray(np.array([[0, 257, 32768, 65535]], np.int32)), "TIFF")
    loaded = read_image(data, mode="L")
    np.testing.assert_array_equal(loaded.pixels, [[0, 1, 128, 255]])
    assert loaded.notes == ("16-bit values were scaled to 0–255.",)


def test_32bit_integer_tiff_outside_16_bits_is_stretched():
    # [-100, 0, 155] -> (v + 100) * 255 / 255
    np.testing.assert_array_equal(pixels_of("tiff_int32", mode="L"), [[0, 100, 255]])


def test_cmyk_is_converted_to_rgb_with_a_note():
    loaded = read_image(case_named("jpeg_cmyk").data)
    np.testing.assert_allclose(loaded.pixels.reshape(-1, 3).mean(0), (0, 255, 255), atol=2)
    assert "CMYK colours were converted to RGB." in loaded.notes
    np.testing.assert_array_equal(pixels_of("tiff_cmyk"), np.zeros((2, 2, 3), np.uint8))


def test_grayscale_sources_give_equal_channels_and_exact_values_in_mode_L():
    rgb = pixels_of("png_gray_L")
    assert (rgb[..., 0] == rgb[..., 1]).all() and (rgb[..., 1] == rgb[..., 2]).all()
    np.testing.assert_array_equal(
        pixels_of("png_gray_L", mode="L"), np.arange(12).reshape(3, 4) * 20
    )


def test_mode_L_uses_bt601_weights():
    colours = Image.fromarray(np.array([[RED, (0, 255, 0), BLUE]], np.uint8))
    # 0.299 * 255 = 76.2, 0.587 * 255 = 149.7, 0.114 * 255 = 29.1
    np.testing.assert_array_equal(load_image(encode(colours, "PNG"), mode="L"), [[76, 150, 29]])


@pytest.mark.parametrize(
    ("name", "colour", "note"),
    [
        ("gif_three_frames", RED, "Only the first frame of the animated GIF is used."),
        ("webp_animated", (0, 255, 0), "Only the first frame of the animated WebP is used."),
        ("png_animated_apng", BLUE, "Only the first frame of the animated PNG is used."),
        ("tiff_multipage", (0, 128, 255), "Only the first page of the multi-page TIFF is used."),
        ("jpeg_mpo_two_pictures", (254, 0, 0), "Only the first picture of the multi-picture JPEG"),
    ],
)
def test_only_the_first_frame_or_page_is_used(name, colour, note):
    loaded = read_image(case_named(name).data)
    assert (np.abs(loaded.pixels.astype(int) - colour) <= 1).all()
    assert any(n.startswith(note) for n in loaded.notes)
    assert loaded.format == name.split("_")[0].upper()


def test_a_still_gif_gets_no_animation_note():
    loaded = read_image(encode(Image.new("RGB", (3, 3), RED), "GIF"))
    assert loaded.notes == () and (loaded.pixels == RED).all()


def test_other_formats_decode_to_their_exact_colours():
    np.testing.assert_array_equal(pixels_of("bmp_rgb"), np.full((2, 3, 3), (10, 200, 30)))
    np.testing.assert_array_equal(pixels_of("tiff_rgb"), np.full((2, 3, 3), (1, 2, 250)))
    np.testing.assert_array_equal(pixels_of("png_1x1"), [[[7, 8, 9]]])
    np.testing.assert_array_equal(
        pixels_of("tiff_handmade_gray", mode="L"), [[0, 50, 100], [150, 200, 250]]
    )
    assert np.abs(pixels_of("jpeg_gray").astype(int) - 90).max() <= 1


# --- EXIF orientation ------------------------------------------------------------------------


def test_exif_orientation_6_rotates_90_degrees_clockwise():
    stored = np.asarray(quadrants(3, 2))  # (2, 3): [[R, G, G], [W, B, B]]
    loaded = read_image(case_named("png_exif_orientation_6").data)

    np.testing.assert_array_equal(loaded.pixels, np.rot90(stored, k=-1))
    np.testing.assert_array_equal(loaded.pixels[0], [WHITE, RED])  # left column, read upwards
    assert loaded.original_size == (3, 2)
    assert "The photo was rotated upright using its EXIF orientation tag." in loaded.notes


def test_jpeg_exif_orientation_8_rotates_90_degrees_counter_clockwise():
    stored = np.asarray(quadrants(64, 32)).astype(int)
    pixels = pixels_of("jpeg_exif_orientation_8").astype(int)

    assert pixels.shape == (64, 32, 3)
    assert np.abs(pixels - np.rot90(stored, k=1)).mean() < 4  # JPEG blurs the quadrant edges
    np.testing.assert_allclose(pixels[8, 8], (0, 255, 0), atol=3)  # stored top right: green


@pytest.mark.parametrize("orientation", [1, 2, 3, 4, 5, 6, 7, 8])
def test_every_exif_orientation_matches_pillows_exif_transpose(orientation):
    data = with_exif_orientation(quadrants(5, 3), "PNG", orientation)
    with Image.open(io.BytesIO(data)) as im:
        expected = np.asarray(ImageOps.exif_transpose(im).convert("RGB"))
    loaded = read_image(data)
    np.testing.assert_array_equal(loaded.pixels, expected)
    assert loaded.original_size == expected.shape[:2]
    assert (orientation != 1) == any("EXIF orientation" in note for note in loaded.notes)


@pillow_warnings
def test_broken_exif_block_falls_back_to_no_rotation():
    loaded = read_image(case_named("jpeg_broken_exif").data)
    assert loaded.pixels.shape == (2, 4, 3)
    np.testing.assert_allclose(loaded.pixels.reshape(-1, 3).mean(0), RED, atol=3)
    assert not any("EXIF" in note for note in loaded.notes)


def test_exif_that_makes_exif_transpose_raise_is_shown_as_stored(monkeypatch):
    def broken(*args, **kwargs):
        raise SyntaxError("bad EXIF")

    monkeypatch.setattr(imageio.ImageOps, "exif_transpose", broken)
    loaded = read_image(case_named("png_exif_orientation_6").data)
    np.testing.assert_array_equal(loaded.pixels, np.asarray(quadrants(3, 2)))
    assert loaded.original_size == (2, 3)


# --- size: tiny, extreme, downscaled ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shape"),
    [
        ("png_1x1", (1, 1, 3)),
        ("png_1x3000", (1024, 1, 3)),
        ("png_3000x1", (1, 1024, 3)),
        ("png_6000x10", (2, 1024, 3)),
    ],
)
def test_tiny_and_extreme_aspect_ratios_keep_every_side_at_least_1(name, shape):
    assert pixels_of(name).shape == shape


def test_6000x10_is_downscaled_with_a_note_and_keeps_its_colour():
    loaded = read_image(case_named("png_6000x10").data)
    assert loaded.original_size == (10, 6000)
    assert (loaded.pixels == (0, 100, 200)).all()
    assert loaded.notes == (
        "Your 6000×10 image was scaled down to 1024×2 (cv2.INTER_AREA) so every lesson stays fast.",
    )


@pytest.mark.parametrize(("max_side", "shape"), [(100, (1, 100, 3)), (1, (1, 1, 3))])
def test_max_side_bounds_the_longer_side(max_side, shape):
    assert pixels_of("png_6000x10", max_side=max_side).shape == shape


def test_downscaling_is_exactly_cv2_inter_area():
    rng = np.random.default_rng(5)
    cells = rng.integers(0, 256, (100, 150, 3), dtype=np.uint8)
    original = np.repeat(np.repeat(cells, 13, axis=0), 13, axis=1)  # 1300×1950, compresses well
    loaded = read_image(encode(Image.fromarray(original), "PNG"))

    # 1950 -> 1024 and 1300 * 1024 / 1950 = 682.67 -> 683
    expected = cv2.resize(original, (1024, 683), interpolation=cv2.INTER_AREA)
    np.testing.assert_array_equal(loaded.pixels, expected)


def test_big_jpeg_uses_draft_decoding_and_reports_the_stored_size():
    loaded = read_image(case_named("jpeg_big_draft").data)

    assert loaded.original_size == (2800, 4200)
    assert loaded.pixels.shape == (683, 1024, 3)
    assert "JPEG draft decoding" in loaded.notes[-1] and "4200×2800" in loaded.notes[-1]
    corners = loaded.pixels[[100, 100, 580, 580], [100, 900, 900, 100]].astype(int)
    np.testing.assert_allclose(corners, [RED, (0, 255, 0), BLUE, WHITE], atol=4)


def test_big_rotated_jpeg_swaps_the_reported_size():
    data = with_exif_orientation(quadrants(4200, 2800), "JPEG", 6, quality=80)
    loaded = read_image(data)

    assert loaded.original_size == (4200, 2800)
    assert loaded.pixels.shape == (1024, 683, 3)
    np.testing.assert_allclose(loaded.pixels[100, 100], WHITE, atol=4)  # bottom left goes top left


# --- refusals in detail ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["png_bomb_100000x100000", "gif_bomb_screen", "bmp_bomb", "webp_bomb"]
)
def test_bomb_is_refused_from_the_header_before_pillow_parses_it(name, monkeypatch):
    def must_not_open(*args, **kwargs):
        raise AssertionError("Image.open was called for a bomb the header already gave away")

    monkeypatch.setattr(imageio.Image, "open", must_not_open)
    start = time.perf_counter()
    with pytest.raises(ImageLoadError, match="header says it is"):
        read_image(case_named(name).data)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    ("name", "size"), [("jpeg_bomb", "60000×60000"), ("tiff_bomb", "50000×50000")]
)
def test_jpeg_and_tiff_bombs_are_refused_quickly_naming_the_claimed_size(name, size):
    # Decoding a 2.5-gigapixel canvas would take many seconds and gigabytes; the header
    # check answers in well under a millisecond, so 1 s is a generous, robust bound.
    start = time.perf_counter()
    with pytest.raises(ImageLoadError, match=size):
        read_image(case_named(name).data)
    assert time.perf_counter() - start < 1.0


def test_pixel_limit_is_inclusive():
    small = encode(Image.new("L", (8, 8)), "PNG")
    at_limit = patch_png_size(small, 6000, MAX_PIXELS // 6000)
    # Exactly MAX_PIXELS passes the size check and then fails only because the data is short.
    with pytest.raises(ImageLoadError, match="damaged"):
        read_image(at_limit)
    with pytest.raises(ImageLoadError, match="6000×6001"):
        read_image(patch_png_size(small, 6000, MAX_PIXELS // 6000 + 1))


def test_upload_size_limit_is_inclusive():
    png = encode(Image.new("L", (4, 4), 9), "PNG")
    padded = png + b"\x00" * (MAX_UPLOAD_BYTES - len(png))  # trailing bytes after IEND
    assert (load_image(padded) == 9).all()
    with pytest.raises(ImageLoadError, match="5 MB"):
        load_image(padded + b"\x00")


def test_truncated_files_really_fail_in_pillows_decoder():
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    for name in ["png_truncated", "jpeg_truncated"]:
        with pytest.raises(ImageLoadError) as info:
            read_image(case_named(name).data)
        assert isinstance(info.value.__cause__, OSError)
        assert "truncated" in str(info.value.__cause__)


def test_unsupported_format_message_lists_the_supported_ones():
    with pytest.raises(ImageLoadError) as info:
        read_image(case_named("psd").data)
    assert "PNG, JPEG, GIF, BMP, WebP or TIFF" in str(info.value)


def test_formats_outside_the_list_are_never_tried_by_pillow():
    # Pillow can read PPM and ICO, but imageio restricts Image.open to SUPPORTED_FORMATS.
    for data in [encode(Image.new("RGB", (2, 2)), "PPM"), case_named("ico").data]:
        with pytest.raises(ImageLoadError, match="cannot read"):
            read_image(data)


def test_utf16_svg_without_bom_is_recognised():
    data = '<svg xmlns="http://www.w3.org/2000/svg"/>'.encode("utf-16-le")
    with pytest.raises(ImageLoadError, match="SVG is a vector format"):
        read_image(data)


def test_unexpected_decoder_errors_are_wrapped(monkeypatch):
    def fails(*args, **kwargs):
        raise RuntimeError("something deep inside a decoder")

    monkeypatch.setattr(imageio, "_to_uint8", fails)
    with pytest.raises(ImageLoadError, match="damaged") as info:
        read_image(case_named("png_red").data)
    assert isinstance(info.value.__cause__, RuntimeError)


def test_memory_error_is_wrapped(monkeypatch):
    def out_of_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(imageio.cv2, "resize", out_of_memory)
    with pytest.raises(ImageLoadError, match="ran out of memory"):
        read_image(case_named("png_6000x10").data)


def test_bomb_error_raised_while_decoding_is_wrapped(monkeypatch):
    def bomb(*args, **kwargs):
        raise Image.DecompressionBombError("Image size exceeds limit")

    monkeypatch.setattr(imageio, "_exif_upright", bomb)
    with pytest.raises(ImageLoadError, match="pixels"):
        read_image(case_named("png_red").data)


# --- arguments (programming errors, not user input) ------------------------------------------


def test_bytes_like_inputs_are_accepted():
    data = case_named("png_red").data
    for variant in (bytearray(data), memoryview(data)):
        np.testing.assert_array_equal(load_image(variant), load_image(data))


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"data": "not bytes"}, TypeError),
        ({"data": None}, TypeError),
        ({"max_side": 0}, ValueError),
        ({"max_side": -5}, ValueError),
        ({"max_side": 2.5}, TypeError),
        ({"max_side": True}, TypeError),
        ({"mode": "RGBA"}, ValueError),
    ],
)
def test_bad_arguments_raise_plain_type_or_value_errors(kwargs, error):
    arguments = {"data": case_named("png_red").data} | kwargs
    data = arguments.pop("data")
    with pytest.raises(error) as info:
        read_image(data, **arguments)
    assert not isinstance(info.value, ImageLoadError)


# --- no side effects -------------------------------------------------------------------------

_disk_writes: list[tuple] | None = None  # set while a test records; the audit hook is permanent


@functools.cache
def _install_write_recorder() -> None:
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
    write_events = {"os.mkdir", "os.rename", "os.remove", "os.truncate", "shutil.copyfile"}
    write_events |= {"tempfile.mkstemp", "tempfile.mkdtemp"}

    def hook(event: str, args: tuple) -> None:
        if _disk_writes is None:
            return
        if event == "open":
            path, mode, flags = args
            writing = isinstance(mode, str) and any(c in mode for c in "wax+")
            if writing or (isinstance(flags, int) and flags & write_flags):
                _disk_writes.append((event, path))
        elif event in write_events:
            _disk_writes.append((event, args))

    sys.addaudithook(hook)


@contextlib.contextmanager
def recording_disk_writes():
    global _disk_writes
    _install_write_recorder()
    _disk_writes = []
    try:
        yield _disk_writes
    finally:
        _disk_writes = None


def _decode_everything() -> None:
    for case in CASES:
        with contextlib.suppress(ImageLoadError):
            read_image(case.data)


@pillow_warnings
def test_decoding_the_whole_corpus_never_writes_to_disk():
    _decode_everything()  # warm-up: lazy imports of Pillow plugins may write .pyc files
    watched = [Path(tempfile.gettempdir()), Path.cwd()]
    before = {folder: sorted(os.listdir(folder)) for folder in watched}

    with recording_disk_writes() as writes:
        _decode_everything()

    # The audit hook sees every open() for writing made through Python, including by Pillow;
    # listing the folders also catches a C library writing a temporary file on its own.
    assert writes == []
    assert {folder: sorted(os.listdir(folder)) for folder in watched} == before


def test_write_recorder_would_notice_a_write(tmp_path):
    with recording_disk_writes() as writes:
        (tmp_path / "x.txt").write_text("x")
    assert writes and str(writes[0][1]).endswith("x.txt")


@pillow_warnings
def test_decoding_leaves_global_state_alone():
    before = (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES, list(warnings.filters))
    _decode_everything()
    after = (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES, list(warnings.filters))
    assert after == before


@pillow_warnings
def test_concurrent_decoding_in_threads_gives_the_same_results():
    sequential = [load_image(case.data) for case in GOOD]
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(lambda case: load_image(case.data), GOOD * 3))
    for expected, got in zip(sequential * 3, concurrent, strict=True):
        np.testing.assert_array_equal(got, expected)


# --- property tests: arbitrary bytes only ever give ImageLoadError or a valid image ----------

SEEDS = [
    noisy_png(16),
    noisy_jpeg(16),
    case_named("gif_three_frames").data,
    case_named("gif_transparent").data,
    case_named("bmp_rgb").data,
    case_named("tiff_rgb").data,
    case_named("png_16bit_gray").data,
    tiff_gray(3, 2, bytes(range(6))),
    webp_two_frames(),
]


def assert_image_or_clean_refusal(data: bytes) -> None:
    try:
        pixels = load_image(data, max_side=64)
    except ImageLoadError as error:
        assert str(error)
        return
    assert pixels.dtype == np.uint8 and pixels.ndim == 3 and pixels.shape[2] == 3
    assert min(pixels.shape[:2]) >= 1 and max(pixels.shape[:2]) <= 64


@st.composite
def mutated_images(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        # Headers are where parsers make decisions, so half the edits land in the first 64 bytes.
        position = draw(st.integers(0, min(63, len(data) - 1)) | st.integers(0, len(data) - 1))
        edit = draw(st.sampled_from(["set", "flip", "insert", "delete", "truncate"]))
        if edit == "set":
            data[position] = draw(st.sampled_from([0x00, 0x01, 0x7F, 0x80, 0xFF]))
        elif edit == "flip":
            data[position] ^= 1 << draw(st.integers(0, 7))
        elif edit == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=8))
        elif edit == "delete":
            del data[position : position + draw(st.integers(1, 8))]
        else:
            del data[max(1, position) :]
        if not data:
            break
    return bytes(data)


@pytest.mark.filterwarnings("ignore")  # Pillow warns about much of this garbage, by design
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_random_bytes_only_ever_raise_image_load_error(data):
    assert_image_or_clean_refusal(data)


@pytest.mark.filterwarnings("ignore")
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_images())
def test_mutated_images_only_ever_raise_image_load_error_or_decode(data):
    assert_image_or_clean_refusal(data)


@pytest.mark.filterwarnings("ignore")
@settings(max_examples=100, deadline=None)
@given(seed=st.sampled_from(SEEDS), cut=st.integers(1, 10_000))
def test_every_prefix_of_a_valid_file_is_handled(seed, cut):
    assert_image_or_clean_refusal(seed[: min(cut, len(seed))])
