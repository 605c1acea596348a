""" "Check yourself" questions for lesson 5 (pooling), generated from the numbers on screen.

Pure functions of the page's arrays and settings (no Streamlit); answers are computed by the
same library functions the page uses.
"""

from __future__ import annotations

import numpy as np

from cnnviz.ops import pool, shapes
from cnnviz.quiz.question import Question
from cnnviz.viz.formulas import text_number as number


def pooling_questions(
    x: np.ndarray, size: int, stride: int, map_shape: tuple[int, ...]
) -> list[Question]:
    """Questions about the small matrix ``x`` (H, W) pooled with ``size``/``stride``.

    map_shape : (H, W[, C]) of the real map pooled further down the page (asked for its
        pooled size with the same window and stride).
    """
    maxed = pool.pool2d(x, size, stride, "max")
    sums, count = pool.avg_pool_sums(x, size, stride)
    H_out, W_out = maxed.shape
    r, c = H_out - 1, W_out - 1  # the last window: bottom-right
    top, left = r * stride, c * stride
    where = f"rows {top}–{top + size - 1}, columns {left}–{left + size - 1}"
    mean = float(sums[r, c]) / count
    H, W = map_shape[:2]
    depth = map_shape[2] if len(map_shape) == 3 else 1
    dout = 12.0
    questions = [
        Question(
            prompt=f"Cover the outputs. The last window covers {where} of the numbers. "
            "What does **max pooling** write for it?",
            answer=float(maxed[r, c]),
            explanation=f"The largest of the {count} numbers in that window is "
            f"{number(maxed[r, c])}.",
        ),
        Question(
            prompt=f"And **average pooling**, for the same window ({where})? Give two decimals.",
            answer=round(mean, 2),
            tolerance=0.006,
            explanation=f"Their sum is {number(sums[r, c])}; divided by {count} that is "
            f"{number(mean)}.",
        ),
        Question(
            prompt=f"A window of {size} × {size} receives an upstream gradient of "
            f"{number(dout)}. With **average** pooling, how much of it does each of its "
            "numbers get? (two decimals)",
            answer=round(dout / count, 2),
            tolerance=0.006,
            explanation=f"Each number contributed 1/{count} of the mean, so each gets "
            f"{number(dout)} ÷ {count} = {number(dout / count)} — with max pooling the "
            f"winner would get all {number(dout)} and the others 0.",
        ),
    ]
    try:
        out_h, out_w = shapes.output_size(H, size, stride), shapes.output_size(W, size, stride)
    except shapes.ShapeError:  # a tiny upload: the window does not fit, so do not ask
        return questions
    questions.insert(
        2,
        Question(
            prompt=f"A {H} × {W} × {depth} map is pooled with a {size} × {size} window at "
            f"stride {stride}, no padding. How many numbers does the output hold?",
            answer=out_h * out_w * depth,
            explanation=f"floor(({H} − {size}) / {stride}) + 1 = {out_h} rows, "
            f"floor(({W} − {size}) / {stride}) + 1 = {out_w} columns, and the depth stays "
            f"{depth}: {out_h} · {out_w} · {depth} = {out_h * out_w * depth}.",
        ),
    )
    return questions
