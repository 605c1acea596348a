"""Where a kernel goes along an axis: window positions, what they leave unread, coverage.

Lesson 4's window grid is drawn from these. Indices are those of the *padded* axis (index 0 is
the first padding zero, if any); the sizes come from `cnnviz.ops.shapes`, so a window list
always has `shapes.output_size` windows. Images are (H, W): rows along H, columns along W.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnnviz.ops.shapes import kernel_span, output_size, resolve_padding


@dataclass(frozen=True)
class AxisWindows:
    """Every position a kernel takes along one axis, in coordinates of the *padded* input.

    Attributes
    ----------
    n : int
        Input length before padding.
    pad : (before, after)
        Zeros added on each side (see `resolve_padding`).
    span : int
        Pixels one window covers, ``dilation*(k - 1) + 1``.
    dilation : int
        Distance between neighbouring taps.
    starts : tuple of int
        First padded index of each window: ``0, stride, 2*stride, ...`` (``n_out`` of them).
    """

    n: int
    pad: tuple[int, int]
    span: int
    dilation: int
    starts: tuple[int, ...]

    @property
    def padded(self) -> int:
        """Length of the padded axis, ``n + before + after``."""
        return self.n + self.pad[0] + self.pad[1]

    @property
    def n_out(self) -> int:
        """Number of windows, the output length."""
        return len(self.starts)

    @property
    def reach(self) -> int:
        """One past the last padded index any window covers: ``starts[-1] + span``."""
        return self.starts[-1] + self.span

    @property
    def left_out(self) -> tuple[int, ...]:
        """Padded indices after the last window: the floor in the formula drops them."""
        return tuple(range(self.reach, self.padded))

    @property
    def left_out_input(self) -> tuple[int, ...]:
        """The left-out indices that are real input pixels (not padding), as input indices."""
        return self._as_input(self.left_out)

    @property
    def unread(self) -> tuple[int, ...]:
        """Every padded index no tap of any window reads: `gaps` plus `left_out`."""
        return tuple(int(i) for i in np.flatnonzero(self.coverage() == 0))

    @property
    def gaps(self) -> tuple[int, ...]:
        """Unread indices before the end of the last window: `between_windows` + `between_taps`."""
        return tuple(i for i in self.unread if i < self.reach)

    @property
    def between_windows(self) -> tuple[int, ...]:
        """Unread indices that no window even spans: the stride jumps over them
        (``stride > span`` leaves ``stride - span`` of them after every window)."""
        return tuple(i for i in self.gaps if not self._spanned(i))

    @property
    def between_taps(self) -> tuple[int, ...]:
        """Unread indices inside some window's span: dilation skips them and no other window's
        tap lands there."""
        return tuple(i for i in self.gaps if self._spanned(i))

    @property
    def unread_input(self) -> tuple[int, ...]:
        """The unread indices that are real input pixels (not padding), as input indices."""
        return self._as_input(self.unread)

    def _spanned(self, index: int) -> bool:
        return any(start <= index < start + self.span for start in self.starts)

    def _as_input(self, indices: tuple[int, ...]) -> tuple[int, ...]:
        first, end = self.pad[0], self.pad[0] + self.n
        return tuple(i - first for i in indices if first <= i < end)

    def taps(self, window: int) -> tuple[int, ...]:
        """Padded indices the kernel reads in window number `window` (dilation leaves gaps)."""
        start = self.starts[window]
        return tuple(range(start, start + self.span, self.dilation))

    def coverage(self) -> np.ndarray:
        """(padded,) int: how many windows read each index of the padded axis."""
        counts = np.zeros(self.padded, dtype=np.int64)
        for window in range(self.n_out):
            counts[list(self.taps(window))] += 1
        return counts


def window_positions(
    n: int, k: int, stride: int = 1, pad: int | str = 0, dilation: int = 1
) -> AxisWindows:
    """Where a kernel of `k` taps sits along an axis of `n` pixels, and what it leaves out.

    Arguments as in `output_size` (which raises ShapeError for the same bad settings). Windows
    start at 0 of the padded axis and move by `stride` while they fit; when
    ``(padded - span) / stride`` is not whole, the last ``(padded - span) % stride`` indices are
    never reached (`AxisWindows.left_out`). Indices can also go unread *between* windows
    (stride > span) or between a dilated kernel's taps: `AxisWindows.unread` lists them all.
    """
    n_out = output_size(n, k, stride, pad, dilation)
    before_after = resolve_padding(n, k, stride, pad, dilation)
    span = kernel_span(k, dilation)
    starts = tuple(i * stride for i in range(n_out))
    return AxisWindows(n, before_after, span, dilation, starts)


def coverage_2d(rows: AxisWindows, cols: AxisWindows) -> np.ndarray:
    """(Hp, Wp) int: how many windows read each cell of the padded input.

    Windows form a grid (every row start with every column start) and so do a window's taps,
    so the count of cell (r, c) is ``rows.coverage()[r] * cols.coverage()[c]``.
    """
    return np.outer(rows.coverage(), cols.coverage())
