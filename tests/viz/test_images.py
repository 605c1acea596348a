import numpy as np
import plotly.graph_objects as go
import pytest

from cnnviz.viz import images
from tests.conftest import plotly_array


def test_small_rgb_image_is_sent_as_exact_numbers():
    pixels = np.arange(4 * 5 * 3, dtype=np.uint8).reshape(4, 5, 3)
    fig = images.image_figure(pixels, region=(1, 1, 2, 2))
    trace = fig.data[0]
    assert isinstance(trace, go.Image)
    np.testing.assert_array_equal(plotly_array(fig.to_plotly_json()["data"][0]["z"]), pixels)
    assert len(fig.layout.shapes) == 1


def test_small_gray_image_keeps_the_0_to_255_scale():
    fig = images.image_figure(np.full((3, 3), 7, dtype=np.uint8))
    assert fig.layout.coloraxis.cmin == 0
    assert fig.layout.coloraxis.cmax == 255


def test_large_image_is_a_compressed_png_spanning_the_original_grid():
    pixels = np.zeros((1000, 800, 3), dtype=np.uint8)
    fig = images.image_figure(pixels)
    trace = fig.data[0]
    assert trace.source.startswith("data:image/jpeg;base64,")
    # shrunk to 512 x 410 for display, stretched back over 1000 x 800 pixel coordinates
    assert trace.dx == pytest.approx(800 / 410)
    assert trace.dy == pytest.approx(1000 / 512)
    assert len(fig.to_json()) < 50_000


@pytest.mark.parametrize("bad", [np.zeros((2, 2, 4)), np.zeros(5), np.zeros((0, 3, 3))])
def test_rejects_what_is_not_an_image(bad):
    with pytest.raises(ValueError, match="image_figure"):
        images.image_figure(bad)


@pytest.mark.parametrize("side", [1, 3, 4, 7, 16, 28, 100, 128, 300, 512])
def test_image_axes_label_whole_pixels_only(side):
    """Item 22: at resize 4 the axis read −0.5, 0.5, 2.5 … — ticks must be whole pixels."""
    fig = images.image_figure(np.zeros((side, side, 3), np.uint8))
    for axis in (fig.layout.xaxis, fig.layout.yaxis):
        assert axis.tickmode == "linear" and axis.tick0 == 0
        assert isinstance(axis.dtick, int) and axis.dtick >= 1
        assert side / axis.dtick <= 8  # few enough to read
        nice = [m * 10**e for e in range(4) for m in (1, 2, 5)]
        smaller = [step for step in nice if step < axis.dtick]
        assert axis.dtick in nice and all(side / step > 8 for step in smaller)


def test_wide_image_ticks_follow_each_axis():
    fig = images.image_figure(np.zeros((4, 300), np.uint8))
    assert fig.layout.yaxis.dtick == 1 and fig.layout.xaxis.dtick == 50
