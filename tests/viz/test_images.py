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
