"""Lesson 2's questions: every marked answer is confirmed by a plain loop over the windows.

Settings span what the page allows: the classic 5 × 5 example or a gray photo crop of 4…10
pixels a side (values 0…255), any kernel up to 7 × 7 with weights in ±1000, bias in ±1000,
stride 1…4, padding 0…3 or valid/same/full, dilation 1…3, any step of the player.
"""

import math
import re

import numpy as np
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cnnviz.data import synthetic
from cnnviz.ops import conv, shapes
from cnnviz.quiz import convolution_questions
from cnnviz.viz import convolution as conv_figures
from cnnviz.viz import formulas

PADS = (0, 1, 2, 3, "valid", "same", "full")


def windows_by_hand(padded: np.ndarray, KH: int, KW: int, s: int, d: int):
    """Top-left corners (row, col) of every window that fits, in the order the player visits."""
    Hp, Wp = padded.shape
    rows = [r for r in range(0, Hp, s) if r + d * (KH - 1) < Hp]
    cols = [c for c in range(0, Wp, s) if c + d * (KW - 1) < Wp]
    return rows, cols, [(r, c) for r in rows for c in cols]


def printed_number(text: str) -> float:
    return float(text.replace("−", "-"))


images = st.one_of(
    st.just(synthetic.binary_example()),
    st.integers(4, 10).flatmap(lambda n: arrays(np.uint8, (n, n))),
)
weights = st.one_of(
    st.integers(-1000, 1000).map(float),
    st.floats(-1000, 1000, allow_nan=False).map(lambda w: round(w, 4)),
    st.sampled_from([1 / 9, -1 / 9, 1 / 16, 1 / 3, 0.5, -0.25]),
)
kernels_ = st.tuples(st.integers(1, 7), st.integers(1, 7)).flatmap(
    lambda shape: arrays(np.float64, shape, elements=weights)
)


@settings(max_examples=300, deadline=None)
@given(
    image=images,
    kernel=kernels_,
    bias=st.floats(-1000, 1000, allow_nan=False),
    stride=st.integers(1, 4),
    pad=st.sampled_from(PADS),
    dilation=st.integers(1, 3),
    step_fraction=st.floats(0, 1),
)
@example(  # a box blur: printed as 0.11, the honest sum of printed numbers must count
    image=np.full((5, 5), 255, np.uint8),
    kernel=np.full((3, 3), 1 / 9),
    bias=0.0,
    stride=1,
    pad=0,
    dilation=1,
    step_fraction=0.0,
)
def test_every_answer_matches_a_loop_over_the_windows(
    image, kernel, bias, stride, pad, dilation, step_fraction
):
    try:
        trace = conv.conv_trace(image, kernel, stride, pad, dilation, bias)
    except shapes.ShapeError:
        assume(False)  # the page shows a warning and asks nothing
    step = min(int(step_fraction * trace.n_steps), trace.n_steps - 1)
    questions = convolution_questions(trace, step, image.shape)
    KH, KW = kernel.shape
    (top, bottom), (left, right) = trace.pad_rows, trace.pad_cols
    padded = np.zeros((image.shape[0] + top + bottom, image.shape[1] + left + right))
    padded[top : top + image.shape[0], left : left + image.shape[1]] = image
    rows, cols, corners = windows_by_hand(padded, KH, KW, stride, dilation)

    cells = questions[-1]
    stated = re.search(
        r"input is (\d+)×(\d+), padded with (\d+)\+(\d+) rows and (\d+)\+(\d+) columns of zeros, "
        r"the kernel is (\d+)×(\d+), stride (\d+), dilation (\d+)",
        cells.prompt,
    )
    assert tuple(int(n) for n in stated.groups()) == (
        *image.shape,
        top,
        bottom,
        left,
        right,
        KH,
        KW,
        stride,
        dilation,
    )
    assert cells.is_correct(len(corners))
    assert not cells.is_correct(len(corners) + 1) and not cells.is_correct(len(corners) - 1)

    if step + 1 == len(corners):
        assert len(questions) == 1  # no next window to ask about
        return
    following = questions[0]
    r, c = corners[step + 1]
    out_row, out_col = rows.index(r), cols.index(c)
    assert f"output row {out_row}, column {out_col}" in following.prompt
    patch = [[padded[r + dilation * i, c + dilation * j] for j in range(KW)] for i in range(KH)]
    exact = sum(
        p * w
        for prow, wrow in zip(patch, kernel.tolist(), strict=True)
        for p, w in zip(prow, wrow, strict=True)
    )
    exact += bias
    assert following.is_correct(round(exact, 2))
    # the same sum from the weights and the bias as the page prints them
    shown_weights = conv_figures.kernel_figure(trace.kernel).data[0].text
    shown_bias = printed_number(formulas.text_number(bias))
    from_printed = shown_bias + sum(
        p * printed_number(w)
        for prow, wrow in zip(patch, shown_weights.tolist(), strict=True)
        for p, w in zip(prow, wrow, strict=True)
    )
    assert following.is_correct(from_printed)
    # ... and nothing further off than printing can explain
    worst = sum(
        abs(p) * abs(printed_number(w) - true)
        for prow, wrow, trow in zip(patch, shown_weights.tolist(), kernel.tolist(), strict=True)
        for p, w, true in zip(prow, wrow, trow, strict=True)
    ) + abs(shown_bias - bias)
    assert not following.is_correct(exact + worst + 0.03)
    assert not following.is_correct(exact - worst - 0.03)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(4, 10), k=st.integers(1, 7), stride=st.integers(1, 4), d=st.integers(1, 3))
def test_same_padding_gives_ceil_n_over_s_as_the_help_says(n, k, stride, d):
    """Item 18: with a stride, "same" does not keep the size; it gives ⌈n / s⌉."""
    trace = conv.conv_trace(np.zeros((n, n)), np.ones((k, k)), stride, "same", d)
    (top, bottom), _ = trace.pad_rows, trace.pad_cols
    rows, _, _ = windows_by_hand(np.zeros((n + top + bottom, 1)), k, 1, stride, d)
    assert len(rows) == math.ceil(n / stride) == trace.output.shape[0]
