"""Lesson 8's figures: the numbered thumbnail sheet of a class, and the live comparison specs."""

from __future__ import annotations

import numpy as np
import pytest

from cnnviz.viz import your_own_classes as figures


def test_a_thumbnail_sheet_places_each_example_in_its_cell_and_numbers_it():
    wide = np.zeros((20, 80, 3), np.uint8)
    wide[:] = (200, 10, 10)  # red, 4:1 — fitted into 48 × 12, centred vertically
    tall = np.full((96, 48, 3), 255, np.uint8)
    images = [wide, tall, wide, tall, wide]
    sheet = figures.thumbnail_sheet(images, cols=4, side=48, gap=6, label_px=16)
    assert sheet.shape == (2 * (48 + 16 + 6), 4 * 54 - 6, 3) and sheet.dtype == np.uint8
    assert (sheet[24, 0:48] == (200, 10, 10)).all()  # the middle row of cell 1 is red
    assert (sheet[0:17, 0:48] == 255).all()  # letterboxed above it
    assert (sheet[0, 54 + 12 : 54 + 36] == 255).all()  # cell 2: 24 px wide, centred
    number_band = sheet[48:64, 0:48]
    assert (number_band < 200).any()  # "1" is written under the first cell
    assert (sheet[70:, 54:] == 255).all()  # row 2 holds only example 5


def test_a_thumbnail_sheet_refuses_what_is_not_an_rgb_picture():
    with pytest.raises(ValueError, match="no images"):
        figures.thumbnail_sheet([])
    with pytest.raises(ValueError, match="uint8"):
        figures.thumbnail_sheet([np.zeros((8, 8), np.float32)])
