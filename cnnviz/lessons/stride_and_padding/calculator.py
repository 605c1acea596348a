"""The network shape calculator: a famous network or the learner's own as an editable table, each
layer's output shape and parameters, and a conv layer against a dense one.

The shapes are `cnnviz.ops.shapes.layer_table`, the presets and the table's text form
`cnnviz.data.networks`; this module wires them to widgets.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from cnnviz.data import networks
from cnnviz.lessons.stride_and_padding.settings import (
    NET,
    NET_DEPTH,
    NET_GRID_KEY,
    NET_HEIGHT,
    NET_PRESET_KEY,
    NET_REV_KEY,
    NET_ROWS_KEY,
    NET_WIDTH,
)
from cnnviz.numbers import plural
from cnnviz.ops import shapes
from cnnviz.ui import settings as kit

NET_SHAPE = (NET_HEIGHT, NET_WIDTH, NET_DEPTH)


def load_network(name: str) -> None:
    """Put preset ``name`` into the table and the input shape (a callback: before widgets)."""
    preset = networks.PRESETS[name]
    st.session_state[NET.key] = preset.text
    st.session_state[NET_ROWS_KEY] = networks.network_from_text(preset.text)
    st.session_state[NET_REV_KEY] = st.session_state.get(NET_REV_KEY, 0) + 1
    for setting, value in zip(NET_SHAPE, preset.input_shape, strict=True):
        st.session_state[setting.key] = value


def _preset_picked() -> None:
    name = st.session_state.get(NET_PRESET_KEY)
    if name is not None:
        load_network(name)
        st.session_state[NET_PRESET_KEY] = None  # the list is an action, not a state


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
    if NET_ROWS_KEY not in st.session_state:
        st.session_state[NET_ROWS_KEY] = networks.network_from_text(st.session_state[NET.key])
        st.session_state.setdefault(NET_REV_KEY, 0)
    st.selectbox(
        "Load a famous network",
        tuple(networks.PRESETS),
        index=None,
        key=NET_PRESET_KEY,
        format_func=lambda name: networks.PRESETS[name].title,
        placeholder="Choose one to replace the table…",
        on_change=_preset_picked,
    )
    loaded = st.empty()  # filled once the table's edits of this run are known
    shape = [kit.number(setting, container=column)
             for setting, column in zip(NET_SHAPE, st.columns(3), strict=True)]  # fmt: skip
    frame = pd.DataFrame(st.session_state[NET_ROWS_KEY], columns=list(networks.COLUMNS))
    edited = st.data_editor(
        frame,
        key=f"{NET_GRID_KEY}_{st.session_state[NET_REV_KEY]}",
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
    st.session_state[NET.key] = networks.network_to_text(rows)
    input_shape = (int(shape[0]), int(shape[1]), int(shape[2]))
    loaded.markdown(network_name_text(st.session_state[NET.key], input_shape))
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
    complete = "" if error is None else f" in the first {plural(len(table), 'layer')}"
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
