"""Lesson 4's views: the window settings, the window grid, padding modes, worked examples and
the network shape calculator.

The arithmetic is `cnnviz.ops.shapes` (and the output arrays `cnnviz.ops.conv`), the figures
`cnnviz.viz.stride`; this module only wires them to widgets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cnnviz.data import networks
from cnnviz.ops import conv, shapes
from cnnviz.quiz.stride import index_list, unread_notes
from cnnviz.ui import player, state, widgets
from cnnviz.viz import formulas
from cnnviz.viz import stride as stride_figures

PADDINGS = tuple(str(p) for p in range(7)) + shapes.PAD_MODES
VIEWS = {"step": "Step by step", "all": "All windows at once"}
MAX_SIDE = 32
MAX_KERNEL = 9
MAX_STRIDE = 6
MAX_DILATION = 4
GRID_PX = 520
ORDER_PX = 340
MODE_PX = 280
"""Widths (px) the window grid, the output grid and one padding-mode grid get on a 1366 px
laptop (about 900 px of content: columns 3 : 2, then three columns). Cells narrower than
`cnnviz.viz.stride.MIN_TEXT_CELL_PX` at these widths show their numbers on hover only."""
HOVER = "hover for the numbers"
NET_TEXT = f"{state.STRIDE_NET}_text"
NET_ROWS = f"{state.STRIDE_NET}_rows"
NET_REV = f"{state.STRIDE_NET}_rev"
DEFAULT_NETWORK = "tiny"


@dataclass(frozen=True)
class Settings:
    """The window settings on screen. ``pad`` is the widget's text ("2", "same", …)."""

    height: int
    width: int
    kernel: int
    stride: int
    pad: str
    dilation: int

    @property
    def pad_value(self) -> int | str:
        """``pad`` as `cnnviz.ops.shapes` takes it: an int, or a mode name."""
        return int(self.pad) if self.pad.isdigit() else self.pad


@dataclass(frozen=True, eq=False)
class Windows:
    """Where the window goes along both axes, and the output array the library produced."""

    rows: shapes.AxisWindows
    cols: shapes.AxisWindows
    coverage: np.ndarray  # (Hp, Wp) int: windows reading each padded cell
    output_shape: tuple[int, int]  # shape of correlate2d's real output


# --- settings and the impossible ones ---------------------------------------------------------


def controls() -> Settings:
    """Sliders and the padding choice, in two columns; returns the current settings."""
    left, right = st.columns(2, gap="large")
    height = left.slider("Input height", 1, MAX_SIDE, key=state.STRIDE_HEIGHT)
    width = left.slider("Input width", 1, MAX_SIDE, key=state.STRIDE_WIDTH)
    kernel = left.slider("Kernel size k (k × k)", 1, MAX_KERNEL, key=state.STRIDE_KERNEL)
    stride = right.slider("Stride s", 0, MAX_STRIDE, key=state.STRIDE_STEP_SIZE)
    pad = right.selectbox(
        "Padding p",
        PADDINGS,
        key=state.STRIDE_PAD,
        help="A number of zero rings on every side, or a named mode: valid = none, "
        "same = keep the size (at stride 1), full = every overlap.",
    )
    dilation = right.slider("Dilation d", 0, MAX_DILATION, key=state.STRIDE_DILATION)
    return Settings(height, width, kernel, stride, pad, dilation)


def impossible_reason(s: Settings) -> str | None:
    """Why these settings cannot work and what would, in plain words; None if they work."""
    if s.stride == 0:
        return (
            "**A stride of 0 never moves the window**: it would read the same pixels for ever "
            "and the output would never end. Use stride 1 to visit every position, or 2 and "
            "more to skip some."
        )
    if s.dilation == 0:
        return (
            "**Dilation 0 would stack all the kernel's taps on one pixel.** Dilation 1 is an "
            "ordinary kernel (neighbouring pixels); dilation 2 leaves one pixel between taps."
        )
    try:
        shapes.output_shape_2d(
            (s.height, s.width), (s.kernel, s.kernel), s.stride, s.pad_value, s.dilation
        )
    except shapes.ShapeError as error:
        return f"**These settings do not work.** {error}"
    return None


@st.cache_data(max_entries=128, show_spinner=False)
def windows(height: int, width: int, k: int, stride: int, pad: int | str, dilation: int) -> Windows:
    """Window positions on both axes, coverage, and the shape of the real output array."""
    rows = shapes.window_positions(height, k, stride, pad, dilation)
    cols = shapes.window_positions(width, k, stride, pad, dilation)
    output = conv.correlate2d(np.zeros((height, width)), np.zeros((k, k)), stride, pad, dilation)
    return Windows(rows, cols, shapes.coverage_2d(rows, cols), output.shape)


# Built figures are cached as objects (unpickling a plotly figure re-validates it and costs as
# much as building it). They are read-only: st.plotly_chart only reads them (to_dict / to_json).
@st.cache_resource(max_entries=256, show_spinner=False)
def grid_figure(
    height: int,
    width: int,
    k: int,
    stride: int,
    pad: int | str,
    dilation: int,
    step: int | None,
    *,
    cell_px: int | None = None,
) -> go.Figure:
    """`cnnviz.viz.stride.window_grid_figure` of these settings (cached, never mutate it)."""
    w = windows(height, width, k, stride, pad, dilation)
    width_px = GRID_PX if cell_px is None else MODE_PX
    printed = stride_figures.values_fit(w.cols.padded, width_px)
    size = f"{w.rows.padded} × {w.cols.padded}"
    if cell_px is not None:
        title = f"“{pad}”: {size}" + ("" if printed else " · hover")
    else:
        title = f"Padded input {size} · " + ("windows per cell" if printed else HOVER)
    return stride_figures.window_grid_figure(
        w.rows, w.cols, w.coverage, step=step, title=title, cell_px=cell_px, width_px=width_px
    )


@st.cache_resource(max_entries=256, show_spinner=False)
def order_figure(output_shape: tuple[int, int], step: int | None) -> go.Figure:
    """`cnnviz.viz.stride.output_order_figure` (cached, never mutate it)."""
    H_out, W_out = output_shape
    printed = stride_figures.values_fit(W_out, ORDER_PX)
    return stride_figures.output_order_figure(
        output_shape,
        step=step,
        title=f"Output {H_out} × {W_out} · " + ("step numbers" if printed else HOVER),
        width_px=ORDER_PX,
    )


def size_formulas(s: Settings, w: Windows) -> None:
    """The output-size formula for height and width with the current numbers in."""
    for axis, n, along in (("H", s.height, w.rows), ("W", s.width, w.cols)):
        st.latex(
            formulas.output_size_latex(n, s.kernel, s.stride, along.pad, s.dilation, name=axis)
        )


# --- the window grid ----------------------------------------------------------------------------


def window_view(s: Settings, w: Windows) -> None:
    """Step through the windows with the player, or see all of them at once."""
    view = st.radio(
        "Show", tuple(VIEWS), key=state.STRIDE_VIEW, format_func=VIEWS.get, horizontal=True
    )
    n_steps = w.output_shape[0] * w.output_shape[1]
    if view == "step":
        player.step_player(
            n_steps, key=state.STRIDE_PLAYER, draw=lambda step: _draw(s, w, step), url_param="step"
        )
    else:
        _draw(s, w, None)
    st.markdown(left_out_text(s, w))


def _draw(s: Settings, w: Windows, step: int | None) -> None:
    H_out, W_out = w.output_shape
    left, right = st.columns([3, 2], gap="medium")
    with left:
        widgets.chart(
            grid_figure(s.height, s.width, s.kernel, s.stride, s.pad_value, s.dilation, step)
        )
    with right:
        widgets.chart(order_figure(w.output_shape, step))
    if step is None:
        st.markdown(
            f"**{H_out * W_out} windows** ({H_out} down × {W_out} across), one dot at the centre "
            "of each; the number in a cell says how many windows read it."
        )
        return
    out_row, out_col = divmod(step, W_out)
    rows = _span_text("row", w.rows.starts[out_row], w.rows.span)
    cols = _span_text("column", w.cols.starts[out_col], w.cols.span)
    st.markdown(
        f"**Step {step + 1} of {H_out * W_out}** — the window covers {rows} and {cols} of the "
        f"padded input and fills output row {out_row}, column {out_col}. Next it moves "
        f"{formulas.plural(s.stride, 'column')} right (or, at the end of a row, {s.stride} down)."
    )


def _span_text(name: str, start: int, span: int) -> str:
    """``rows 2–4``, or ``row 2`` for a window one pixel wide."""
    return f"{name} {start}" if span == 1 else f"{name}s {start}–{start + span - 1}"


def _unread_axis(name: str, along: shapes.AxisWindows, stride: int) -> str:
    """The unread rows (or columns) of one axis: where, why for each kind, and what is lost."""
    count = len(along.unread)
    real = along.unread_input
    if not real:
        lost = "only padding zeros are lost"
    elif len(real) == count:
        lost = (
            f"it is a real input {name}: its pixels never reach the output"
            if count == 1
            else f"they are real input {name}s: their pixels never reach the output"
        )
    else:
        lost = f"{len(real)} of them are real input {name}s (the rest padding), never read"
    where = f"{name} {along.unread[0]}" if count == 1 else f"{name}s {index_list(along.unread)}"
    headline = (
        f"**The windows never read {formulas.plural(count, name)}** ({where} of the padded "
        f"input, red)."
    )
    return " ".join([headline, *unread_notes(along, stride, name), f"Here {lost}."])


def _unread_fixes(axes: list[shapes.AxisWindows]) -> str:
    fixes = []
    if any(a.between_windows for a in axes):
        fixes.append("a stride no larger than the window's span closes the gaps between windows")
    if any(a.between_taps for a in axes):
        fixes.append("stride 1 brings a tap onto every pixel inside the windows")
    if any(a.left_out for a in axes):
        fixes.append(
            "a stride that divides (padded size − span), or a little more padding, uses the "
            "ones at the end"
        )
    return "To read them: " + "; ".join(fixes) + "."


def left_out_text(s: Settings, w: Windows) -> str:
    """Every row and column no window reads on each axis, and why, or that all are read."""
    axes = [(name, along) for name, along in (("row", w.rows), ("column", w.cols)) if along.unread]
    if not axes:
        return (
            "**Every row and column is read**: no stride jumps over a pixel, no dilation leaves "
            "one between taps, and (padded size − span) is a multiple of the stride on both "
            "axes, so the floor drops nothing."
        )
    notes = [_unread_axis(name, along, s.stride) for name, along in axes]
    return "\n\n".join([*notes, _unread_fixes([along for _, along in axes])])


# --- padding modes side by side ---------------------------------------------------------------


def padding_modes(s: Settings) -> None:
    """valid / same / full for the current input, kernel, stride and dilation, side by side."""
    if s.stride < 1 or s.dilation < 1:
        st.caption("Choose a stride and a dilation of at least 1 to compare the padding modes.")
        return
    columns = st.columns(len(shapes.PAD_MODES), gap="medium")
    for column, mode in zip(columns, shapes.PAD_MODES, strict=True):
        try:
            w = windows(s.height, s.width, s.kernel, s.stride, mode, s.dilation)
        except shapes.ShapeError as error:  # only "valid" can fail: the kernel is too large
            column.markdown(f"**{mode}** — does not work here. {error}")
            continue
        (top, bottom), (left, right) = w.rows.pad, w.cols.pad
        cell_px = min(300 // max(w.rows.padded, w.cols.padded), 28)
        with column:
            st.markdown(
                f"**{mode}** — zeros: {top} top, {bottom} bottom, {left} left, {right} right → "
                f"output **{w.output_shape[0]} × {w.output_shape[1]}**"
            )
            widgets.chart(
                grid_figure(
                    s.height, s.width, s.kernel, s.stride, mode, s.dilation, None, cell_px=cell_px
                )
            )
    if any(
        not stride_figures.values_fit(_padded_width(s, mode), MODE_PX) for mode in shapes.PAD_MODES
    ):
        st.caption("Grids too wide to print a number in every cell: hover a cell for the numbers.")
    st.markdown(reads_per_pixel_text(s))
    st.markdown(same_padding_text(s.kernel, s.dilation))


def input_reads(w: Windows) -> np.ndarray:
    """(H, W) int: how many windows read each real input pixel (the padding ring cut off)."""
    (top, _), (left, _) = w.rows.pad, w.cols.pad
    return w.coverage[top : top + w.rows.n, left : left + w.cols.n]


def reads_per_pixel_text(s: Settings) -> str:
    """How often the top-left corner and the most-read input pixel are read, per padding mode."""
    parts = []
    for mode in shapes.PAD_MODES:
        try:
            reads = input_reads(windows(s.height, s.width, s.kernel, s.stride, mode, s.dilation))
        except shapes.ShapeError:
            continue
        corner, most = int(reads[0, 0]), int(reads.max())
        if reads.min() == most:
            parts.append(f"{mode}: every pixel {most}×")
        else:
            parts.append(f"{mode}: the corner pixel {corner}×, the most-read pixel {most}×")
    return "**How often each input pixel is read** (the grids above, inside the frame) — " + (
        "; ".join(parts) + "."
    )


def _padded_width(s: Settings, mode: str) -> int:
    """Padded width under a padding mode (0 if the mode does not work here)."""
    try:
        return shapes.window_positions(s.width, s.kernel, s.stride, mode, s.dilation).padded
    except ValueError:
        return 0


def same_padding_text(k: int, dilation: int) -> str:
    """What "same" needs for this kernel and for one of the other parity (at stride 1)."""
    lines = []
    for taps in (k, k + 1):
        span = shapes.kernel_span(taps, dilation)
        before, after = shapes.resolve_padding(max(span, 1), taps, 1, "same", dilation)
        split = (
            f"{before} on each side"
            if before == after
            else f"{before} before and {after} after — an odd total cannot be split evenly, so "
            "the extra zero goes to the bottom/right (TensorFlow's rule)"
        )
        lines.append(
            f"- a kernel of {taps} (spanning {span}) needs "
            f"{formulas.plural(before + after, 'zero')}: {split}."
        )
    return "At stride 1, “same” adds span − 1 zeros per axis:\n" + "\n".join(lines)


# --- worked examples ----------------------------------------------------------------------------

EXAMPLES = {
    "32 → 30": ((32, 32, 3, 1, "0", 1), "cifar"),
    "15 → 11": ((15, 15, 5, 1, "0", 1), "local"),
    "28 → 24 → 12": ((28, 28, 5, 1, "0", 1), "mnist"),
    "AlphaGo 19 → 19": ((19, 19, 5, 1, "2", 1), "alphago"),
}
"""Short button labels (they must fit a quarter of a laptop page) → settings and network."""
EXAMPLE_HELP = {
    "32 → 30": "n = 32, k = 3: a 32 × 32 input and a 3 × 3 kernel give a 30 × 30 output.",
    "15 → 11": "A 15 × 15 input and a 5 × 5 window give an 11 × 11 output.",
    "28 → 24 → 12": "A plain example net on a 28 × 28 MNIST digit (not LeNet): a 5 × 5 conv → "
    "24 × 24, a 2 × 2 pool → 12 × 12.",
    "AlphaGo 19 → 19": "AlphaGo's first layer: the 19 × 19 Go board padded by 2 to 23 × 23, "
    "a 5 × 5 kernel → 19 × 19 again.",
}


def worked_examples() -> None:
    """One button per worked example: it sets the window and loads the network calculator."""
    columns = st.columns(len(EXAMPLES), gap="small")
    for index, (column, label) in enumerate(zip(columns, EXAMPLES, strict=True)):
        column.button(
            label,
            key=f"stride_example_{index}",
            on_click=_load_example,
            args=(label,),
            help=EXAMPLE_HELP[label],
            width="stretch",
        )
    st.caption("  \n".join(f"**{label}** — {text}" for label, text in EXAMPLE_HELP.items()))


def _load_example(label: str) -> None:
    values, network = EXAMPLES[label]
    keys = (
        state.STRIDE_HEIGHT,
        state.STRIDE_WIDTH,
        state.STRIDE_KERNEL,
        state.STRIDE_STEP_SIZE,
        state.STRIDE_PAD,
        state.STRIDE_DILATION,
    )
    st.session_state.update(dict(zip(keys, values, strict=True)))
    player.jump_to(state.STRIDE_PLAYER, 0, 1)
    _load_network(network)


# --- the network shape calculator ---------------------------------------------------------------


def _load_network(name: str) -> None:
    preset = networks.PRESETS[name]
    st.session_state[NET_TEXT] = preset.text
    st.session_state[NET_ROWS] = networks.network_from_text(preset.text)
    st.session_state[NET_REV] = st.session_state.get(NET_REV, 0) + 1
    (
        st.session_state[state.STRIDE_NET_HEIGHT],
        st.session_state[state.STRIDE_NET_WIDTH],
        st.session_state[state.STRIDE_NET_DEPTH],
    ) = preset.input_shape


def _preset_picked() -> None:
    name = st.session_state.get(state.STRIDE_NET_PRESET)
    if name is not None:
        _load_network(name)
        st.session_state[state.STRIDE_NET_PRESET] = None  # the list is an action, not a state


def _cell_value(column: str, value: object) -> object:
    """A data-editor cell as `cnnviz.data.networks` rows hold it (None when empty)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if column in networks.NUMBER_COLUMNS:
        return int(min(max(round(float(value)), 0), networks.MAX_NUMBER))
    choices = {
        "type": networks.LAYER_TYPES,
        "pad": networks.PAD_CHOICES,
        "mode": networks.POOL_MODES,
        "bias": shapes.BIAS_MODES,
    }[column]
    return str(value) if str(value) in choices else None


def _column_config() -> dict:
    number = {"min_value": 0, "max_value": networks.MAX_NUMBER, "step": 1, "format": "%d"}
    return {
        "type": st.column_config.SelectboxColumn("Layer", options=networks.LAYER_TYPES),
        "size": st.column_config.NumberColumn("Filters / units", **number),
        "kernel": st.column_config.NumberColumn("Kernel", **number),
        "stride": st.column_config.NumberColumn("Stride", **number),
        "pad": st.column_config.SelectboxColumn("Padding", options=networks.PAD_CHOICES),
        "dilation": st.column_config.NumberColumn("Dilation", **number),
        "mode": st.column_config.SelectboxColumn("Pool mode", options=networks.POOL_MODES),
        "bias": st.column_config.SelectboxColumn("Bias", options=shapes.BIAS_MODES),
    }


def network_editor() -> tuple[tuple[int, int, int], list[dict]]:
    """Preset list, input shape and the editable layer table; returns (input (H, W, C), rows)."""
    if NET_ROWS not in st.session_state:
        st.session_state[NET_ROWS] = networks.network_from_text(st.session_state[NET_TEXT])
        st.session_state.setdefault(NET_REV, 0)
    st.selectbox(
        "Load a famous network",
        tuple(networks.PRESETS),
        index=None,
        key=state.STRIDE_NET_PRESET,
        format_func=lambda name: networks.PRESETS[name].title,
        placeholder="Choose one to replace the table…",
        on_change=_preset_picked,
    )
    loaded = st.empty()  # filled once the table's edits of this run are known
    h, w, c = st.columns(3)
    shape = (
        h.number_input("Input height H", 1, 512, key=state.STRIDE_NET_HEIGHT),
        w.number_input("Input width W", 1, 512, key=state.STRIDE_NET_WIDTH),
        c.number_input("Input depth C", 1, 512, key=state.STRIDE_NET_DEPTH),
    )
    frame = pd.DataFrame(st.session_state[NET_ROWS], columns=list(networks.COLUMNS))
    edited = st.data_editor(
        frame,
        key=f"{state.STRIDE_NET}_grid_{st.session_state[NET_REV]}",
        num_rows="dynamic",
        hide_index=True,
        column_config=_column_config(),
        width="stretch",
        height="content",  # every row visible (a projector shows the whole network)
    )
    st.caption(
        "“None” marks a cell that layer type does not use, or an optional one left at its "
        "default (stride 1, padding 0, dilation 1, one bias per filter; a pool's stride = its "
        "kernel, mode max)."
    )
    rows = [
        {column: _cell_value(column, record.get(column)) for column in networks.COLUMNS}
        for record in edited.to_dict("records")
    ]
    st.session_state[NET_TEXT] = networks.network_to_text(rows)
    input_shape = (int(shape[0]), int(shape[1]), int(shape[2]))
    loaded.markdown(network_name_text(st.session_state[NET_TEXT], input_shape))
    return input_shape, rows


def network_name_text(text: str, input_shape: tuple[int, int, int]) -> str:
    """Which preset the table holds (its title and note), or that it is the learner's own."""
    for preset in networks.PRESETS.values():
        if preset.text == text and preset.input_shape == input_shape:
            return f"**In the table: {preset.title}.** {preset.note}"
    return "**In the table: your own network** (edited, or not one of the famous ones)."


def network_results(input_shape: tuple[int, int, int], rows: list[dict]) -> None:
    """Each layer's output shape and parameters, the first bad layer explained on its row."""
    layers = [networks.layer_from_cells(row) for row in rows]
    table, error = _table_up_to_error(input_shape, layers)
    records = [_record(row) for row in table]
    if error is not None:
        records.append(
            {"#": error.index, "Layer": error.layer_type, "Output shape": "—", "Parameters": None,
             "Problem": str(error).split(": ", 1)[1]}
        )  # fmt: skip
        records += [
            {"#": i, "Layer": layers[i].get("type") or "?", "Output shape": "…",
             "Parameters": None, "Problem": f"waits for layer {error.index} to be fixed"}
            for i in range(error.index + 1, len(layers))
        ]  # fmt: skip
    if not records:
        st.info("The table is empty: add a layer with the **+** under it.", icon=":material/add:")
        return
    st.dataframe(pd.DataFrame(records), hide_index=True, width="stretch", height="content")
    if error is not None:
        st.error(f"{error}", icon=":material/block:")
    total = sum(row["params"] for row in table)
    complete = "" if error is None else f" in the first {formulas.plural(len(table), 'layer')}"
    st.markdown(f"**Total: {total:,} learnable parameters**{complete}.")
    first_conv = next((row for row in table if row["type"] == "conv"), None)
    if first_conv is not None:
        st.markdown(dense_comparison(first_conv, layers[first_conv["index"]]["kernel"]))


def _table_up_to_error(input_shape, layers):
    try:
        return shapes.layer_table(input_shape, layers), None
    except shapes.LayerError as error:
        return shapes.layer_table(input_shape, layers[: error.index]), error


def _shape_text(shape: tuple[int, ...]) -> str:
    return " × ".join(str(n) for n in shape)


def _record(row: dict) -> dict:
    return {
        "#": row["index"],
        "Layer": row["description"],
        "Output shape": _shape_text(row["output_shape"]),
        "Parameters": row["params"],
        "Problem": "",
    }


def dense_comparison(row: dict, k: int) -> str:
    """A conv layer's parameters against a dense layer with the same inputs and outputs."""
    H, W, C = row["input_shape"]
    H_out, W_out, F = row["output_shape"]
    n_in, n_out = H * W * C, H_out * W_out * F
    dense = shapes.fully_connected_params(n_in, n_out)
    return (
        f"**Against a fully connected layer:** layer {row['index']} turns {n_in:,} inputs "
        f"({_shape_text(row['input_shape'])}) into {n_out:,} outputs with **{row['params']:,}** "
        f"parameters. A dense layer joining every input to every output would need "
        f"{n_in:,} · {n_out:,} + {n_out:,} = **{dense:,}** — about {dense / row['params']:,.0f}× "
        f"more. Two ideas save it: each output reads only a {k}×{k}×{C} field "
        f"({k * k * C:,} of the {n_in:,} inputs, {n_in / (k * k * C):,.1f}× fewer weights per "
        f"output), and the {H_out * W_out:,} outputs of one filter all share the same weights "
        f"({H_out * W_out:,}× fewer)."
    )
