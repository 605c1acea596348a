"""Feature-map figures: the diverging raw view (small, medium, large), clipped and normalised
views, and PNG bytes for downloads."""

import base64
import io
import json

import cv2
import numpy as np
import plotly.graph_objects as go
import pytest
from PIL import Image

from cnnviz.data import kernels, samples
from cnnviz.ops import conv, pixels
from cnnviz.ops.display import clip_to_uint8, normalise_to_uint8
from cnnviz.viz import featuremaps
from cnnviz.viz.layout import titled_top_margin
from tests.conftest import plotly_array

BLUE, WHITE, RED = (5, 48, 97), (247, 247, 247), (103, 0, 31)  # ends and middle of RdBu_r


def trace_json(fig, index=0):
    return fig.to_plotly_json()["data"][index]


def filtered_sample(kernel_name, side=512):
    """A realistic raw map: a preset filter over a sample photo, (side, side) float64."""
    gray = pixels.channel(pixels.resize(samples.load_sample("chelsea"), side, side), "gray")
    return conv.correlate2d(gray.astype(np.float64), kernels.PRESETS[kernel_name].array, pad="same")


def picture(trace) -> np.ndarray:
    """Decode the PNG data URI of an image trace to (h, w, 3) RGB."""
    header, data = trace.source.split(",", 1)
    assert header == "data:image/png;base64"
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB"))


def scale_colours(trace):
    return [colour for _, colour in trace.colorscale]


# --- raw maps: shared properties -----------------------------------------------------------------


@pytest.mark.parametrize("side", [5, 100, 300])
def test_colour_limits_are_symmetric_about_zero_and_negative_is_blue(side):
    values = np.linspace(-3, 7, side * side).reshape(side, side)
    fig = featuremaps.raw_map_figure(values, title="Raw")
    heatmap = next(t for t in fig.data if isinstance(t, go.Heatmap))
    assert (heatmap.zmin, heatmap.zmax) == (-7, 7)
    assert heatmap.showscale is not False and heatmap.colorbar.title.text == "raw value"
    colours = scale_colours(heatmap)
    assert colours[0] == "rgb(5,48,97)" and colours[-1] == "rgb(103,0,31)"
    assert "raw value" in heatmap.hovertemplate


@pytest.mark.parametrize("side", [4, 40, 400])
@pytest.mark.parametrize("constant", [0.0, -2.5])
def test_constant_maps_do_not_crash(side, constant):
    fig = featuremaps.raw_map_figure(np.full((side, side + 1), constant))
    heatmap = next(t for t in fig.data if isinstance(t, go.Heatmap))
    limit = abs(constant) or 1.0
    assert (heatmap.zmin, heatmap.zmax) == (-limit, limit)
    json.loads(fig.to_json())


@pytest.mark.parametrize("side", [10, 100, 400])
def test_layout_ticks_on_top_rows_down_square_pixels_title_band(side):
    fig = featuremaps.raw_map_figure(np.ones((side, side)), title="A title")
    _, top = titled_top_margin("A title")
    assert fig.layout.title.text == "A title" and fig.layout.margin.t == top
    assert fig.layout.xaxis.side == "top" and fig.layout.yaxis.scaleanchor == "x"
    y = fig.layout.yaxis
    assert y.autorange == "reversed" or y.range[0] > y.range[1]


@pytest.mark.parametrize(
    "bad", [np.zeros((4, 4, 3)), np.zeros(4), np.zeros((0, 4)), np.array([[1, np.inf]])]
)
def test_raw_map_refuses_what_it_cannot_draw(bad):
    with pytest.raises(ValueError, match="raw_map_figure"):
        featuremaps.raw_map_figure(bad)


@pytest.mark.parametrize("bad", [0, -3, 2.5, True])
def test_max_hover_side_must_be_a_positive_whole_number(bad):
    with pytest.raises(ValueError, match="max_hover_side"):
        featuremaps.raw_map_figure(np.ones((50, 50)), max_hover_side=bad)


# --- small and medium maps -----------------------------------------------------------------------


def test_small_map_prints_values_with_a_real_minus_sign():
    values = np.array([[-3, 0, 2], [1, -1, 0]])
    fig = featuremaps.raw_map_figure(values)
    (heatmap,) = fig.data
    assert isinstance(heatmap, go.Heatmap)
    assert list(heatmap.text[0]) == ["\u22123", "0", "2"]
    np.testing.assert_array_equal(plotly_array(trace_json(fig)["z"]), values)


def test_medium_map_is_one_cell_per_value_with_exact_hover_and_no_text():
    rng = np.random.default_rng(0)
    values = rng.normal(0, 50, size=(90, 60))
    fig = featuremaps.raw_map_figure(values)
    (heatmap,) = fig.data
    assert heatmap.text is None and heatmap.opacity in (None, 1)
    data = trace_json(fig)
    z = plotly_array(data["z"]).reshape(90, 60)
    np.testing.assert_allclose(z, values, rtol=1e-6)  # float32: the 6 digits hover shows
    np.testing.assert_array_equal(plotly_array(data["x"]), np.arange(60))
    np.testing.assert_array_equal(plotly_array(data["y"]), np.arange(90))


def test_whole_non_negative_maps_are_sent_exactly_as_small_integers():
    values = np.arange(100 * 50, dtype=np.float64).reshape(100, 50) % 300
    data = trace_json(featuremaps.raw_map_figure(values))
    assert data["z"]["dtype"] == "u2"
    np.testing.assert_array_equal(plotly_array(data["z"]).reshape(100, 50), values)


# --- large maps: a picture plus a sampled hover grid ---------------------------------------------


@pytest.mark.parametrize("kernel_name", ["sobel_vertical_edges", "box_blur", "sharpen", "emboss"])
def test_a_512_map_costs_at_most_150_kb_of_chart_data(kernel_name):
    fig = featuremaps.raw_map_figure(filtered_sample(kernel_name))
    assert [type(t) for t in fig.data] == [go.Image, go.Heatmap]
    assert len(fig.to_json()) <= 150_000


def test_large_map_picture_covers_the_original_pixel_grid_in_the_right_colours():
    values = np.zeros((600, 450))
    values[:, :150] = -40  # left third negative -> blue
    values[:, 300:] = 40  # right third positive -> red
    fig = featuremaps.raw_map_figure(values)
    image = fig.data[0]
    rgb = picture(image)  # (h, w, 3), shrunk to PICTURE_SIDE
    h, w = rgb.shape[:2]
    assert max(h, w) == featuremaps.PICTURE_SIDE
    assert image.x0 - image.dx / 2 == pytest.approx(-0.5)
    assert image.x0 + (w - 0.5) * image.dx == pytest.approx(450 - 0.5)
    assert image.y0 + (h - 0.5) * image.dy == pytest.approx(600 - 0.5)
    assert tuple(rgb[h // 2, 5]) == BLUE
    assert tuple(rgb[h // 2, w // 2]) == WHITE  # exactly 0 is exactly the middle colour
    assert tuple(rgb[h // 2, w - 5]) == RED
    assert image.hoverinfo == "skip"


def test_large_map_hover_grid_holds_true_values_at_true_coordinates():
    rng = np.random.default_rng(2)
    values = rng.normal(0, 100, size=(512, 300))
    fig = featuremaps.raw_map_figure(values, max_hover_side=160)
    hover = fig.data[1]
    assert hover.opacity == 0 and hover.hoverinfo != "skip"
    data = trace_json(fig, 1)
    rows, cols = plotly_array(data["y"]), plotly_array(data["x"])
    k = 4  # ceil(512 / 160)
    np.testing.assert_array_equal(rows, np.arange(1, 512, k))  # the middle of each 4-pixel block
    np.testing.assert_array_equal(cols, np.arange(1, 300, k))
    z = plotly_array(data["z"]).reshape(len(rows), len(cols))
    np.testing.assert_allclose(z, values[np.ix_(rows, cols)], rtol=1e-6)


@pytest.mark.parametrize(("shape", "max_side"), [((200, 120), 50), ((2048, 2048), 160)])
def test_hover_grid_side_never_exceeds_max_hover_side(shape, max_side):
    values = np.ones(shape)
    fig = featuremaps.raw_map_figure(values, max_hover_side=max_side)
    data = trace_json(fig, 1)
    assert 0.9 * max_side <= max(len(plotly_array(data["x"])), len(plotly_array(data["y"])))
    assert max(len(plotly_array(data["x"])), len(plotly_array(data["y"]))) <= max_side


def test_a_thin_large_map_still_has_hover_values():
    values = np.arange(1000 * 3, dtype=np.float64).reshape(1000, 3) - 1500
    fig = featuremaps.raw_map_figure(values)
    data = trace_json(fig, 1)
    rows, cols = plotly_array(data["y"]), plotly_array(data["x"])
    np.testing.assert_array_equal(cols, [1])  # the middle column of three
    z = plotly_array(data["z"]).reshape(len(rows), 1)
    np.testing.assert_array_equal(z[:, 0], values[rows, 1])
    assert picture(fig.data[0]).shape[:2] == (featuremaps.PICTURE_SIDE, 1)


# --- clipped and normalised pictures -------------------------------------------------------------


def test_clipped_view_shows_what_a_screen_shows():
    values = np.array([[-50.0, 0, 100], [255, 300, 12.4]])
    fig = featuremaps.clipped_map_figure(values, title="Clipped")
    z = plotly_array(trace_json(fig)["z"])
    np.testing.assert_array_equal(z, [[0, 0, 100], [255, 255, 12]])
    assert fig.layout.title.text == "Clipped"


def test_normalised_view_stretches_and_a_constant_map_is_mid_gray():
    values = np.array([[-50.0, 0], [50, 150]])
    z = plotly_array(trace_json(featuremaps.normalised_map_figure(values))["z"])
    np.testing.assert_array_equal(z, normalise_to_uint8(values))
    np.testing.assert_array_equal(z, [[0, 64], [128, 255]])
    flat = featuremaps.normalised_map_figure(np.full((4, 4), -9.0))
    np.testing.assert_array_equal(plotly_array(trace_json(flat)["z"]), np.full((4, 4), 128))


def test_rgb_results_are_pictures_and_large_ones_stay_compact():
    rng = np.random.default_rng(3)
    small = rng.normal(100, 200, size=(6, 5, 3))
    fig = featuremaps.clipped_map_figure(small)
    np.testing.assert_array_equal(plotly_array(trace_json(fig)["z"]), clip_to_uint8(small))
    large = featuremaps.normalised_map_figure(np.zeros((700, 900, 3)))
    assert large.data[0].source.startswith("data:image/png;base64,")
    assert len(large.to_json()) < 60_000


# --- PNG bytes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(7, 9, 3), (5, 4)])
def test_png_bytes_decode_back_to_the_same_pixels_in_rgb_order(shape):
    rng = np.random.default_rng(4)
    pixels_in = rng.integers(0, 256, size=shape, dtype=np.uint8)
    data = featuremaps.png_bytes(pixels_in)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(data))), pixels_in)
    decoded = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)  # BGR order
    expected = pixels_in[..., ::-1] if len(shape) == 3 else pixels_in
    np.testing.assert_array_equal(decoded, expected)


def test_pure_red_stays_red():
    red = np.zeros((2, 2, 3), dtype=np.uint8)
    red[..., 0] = 255
    decoded = np.asarray(Image.open(io.BytesIO(featuremaps.png_bytes(red))).convert("RGB"))
    assert tuple(decoded[0, 0]) == (255, 0, 0)


@pytest.mark.parametrize(
    "bad", [np.zeros((3, 3)), np.zeros((3, 3, 4), np.uint8), np.zeros(3, np.uint8)]
)
def test_png_bytes_refuses_non_uint8_or_odd_shapes(bad):
    with pytest.raises(ValueError, match="png_bytes"):
        featuremaps.png_bytes(bad)


def test_neighbourhood_prints_the_values_around_a_cell_numbered_as_in_the_map():
    values = np.arange(20 * 30, dtype=np.float64).reshape(20, 30) - 300
    fig = featuremaps.neighbourhood_figure(values, 1, 28, radius=2, title="around")
    trace = fig.data[0]
    z = plotly_array(trace_json(fig)["z"])
    np.testing.assert_array_equal(z, values[0:4, 26:30])  # cut at the top and right borders
    assert (trace.x0, trace.y0) == (26, 0)
    assert trace.zmin == -values.__abs__().max() and trace.zmax == np.abs(values).max()
    assert "\u2212" in trace.text[0][0]  # readable minus sign
    (outline,) = fig.layout.shapes
    assert (outline.x0, outline.x1, outline.y0, outline.y1) == (27.5, 28.5, 0.5, 1.5)
    with pytest.raises(ValueError, match="outside"):
        featuremaps.neighbourhood_figure(values, 20, 0)


def test_a_colour_limit_saturates_extremes_but_hover_keeps_true_values():
    values = np.zeros((40, 40))
    values[0, 0], values[20, 20] = -5000.0, 3.0
    fig = featuremaps.raw_map_figure(values, limit=4.0)
    trace = fig.data[0]
    assert (trace.zmin, trace.zmax) == (-4.0, 4.0)
    np.testing.assert_array_equal(plotly_array(trace_json(fig)["z"]), values)
    assert featuremaps.neighbourhood_figure(values, 20, 20, limit=4.0).data[0].zmax == 4.0
    with pytest.raises(ValueError, match="positive"):
        featuremaps.raw_map_figure(values, limit=0.0)
