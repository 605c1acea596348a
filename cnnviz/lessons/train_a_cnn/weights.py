"""Lesson 7's weights in and out: download the model as `.npz`, upload one to continue.

An upload is read by `cnnviz.nn.load` (which checks every array) and must fit a network this
page can build; the settings then follow its architecture and a fresh `TrainingRun` starts from
its weights.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from cnnviz import nn
from cnnviz.lessons.train_a_cnn.run import dataset, note, start_run
from cnnviz.lessons.train_a_cnn.settings import (
    BLOCKS,
    DATASET,
    DATASETS,
    DEFAULT,
    DOWNLOAD_BUTTON,
    DROPOUT,
    DROPOUTS,
    FILTER_CHOICES,
    FILTERS,
    KERNEL,
    PLAYING_KEY,
    POOL,
    RUN_KEY,
    WEIGHTS_UPLOAD_KEY,
)
from cnnviz.nn.session import TrainingRun


def weights_io(run: TrainingRun) -> None:
    """Download the weights; upload weights to continue training or to inspect them."""
    down, up = st.columns(2, gap="large")
    with down:
        st.download_button(
            "Download the weights (.npz)",
            data=nn.save(run.model) if not run.diverged else b"",
            file_name=f"tinycnn-{run.settings.dataset}-step{run.step}.npz",
            mime="application/octet-stream",
            icon=":material/download:",
            key=DOWNLOAD_BUTTON,
            disabled=run.diverged,
            on_click="ignore",
        )
        st.caption("The architecture and every weight, as NumPy arrays (np.load reads it).")
    with up:
        st.file_uploader(
            "Upload weights saved here (.npz) to continue training or inspect them",
            type=["npz"],
            key=WEIGHTS_UPLOAD_KEY,
            on_change=_weights_uploaded,
            max_upload_size=16,
        )


def _weights_uploaded() -> None:
    upload = st.session_state.get(WEIGHTS_UPLOAD_KEY)
    if upload is None:
        return
    try:
        model = nn.load(upload.getvalue())
        dataset_name = _dataset_of(model.config)
    except nn.ModelFileError as error:
        note(f"**{upload.name}** could not be loaded: {error}", "block")
        return
    config = model.config
    keys = {
        DATASET.key: dataset_name,
        BLOCKS.key: config.n_blocks,
        KERNEL.key: str(config.kernel_size),
        POOL.key: config.pool,
        DROPOUT.key: _closest(DROPOUTS, config.dropout),
    }
    for setting, F in zip(FILTERS, config.filters, strict=False):
        keys[setting.key] = str(F)
    st.session_state.update(keys)
    st.session_state[PLAYING_KEY] = "pause"
    old: TrainingRun | None = st.session_state.get(RUN_KEY)
    base = old.settings if old else DEFAULT
    settings = replace(
        base,
        dataset=dataset_name,
        blocks=config.n_blocks,
        filters=config.filters + base.filters[config.n_blocks :],
        kernel_size=config.kernel_size,
        pool=config.pool,
        dropout=float(keys[DROPOUT.key]),
    )
    model.config = replace(config, dropout=settings.dropout)
    st.session_state[RUN_KEY] = start_run(settings, model)
    note(
        f"Loaded **{upload.name}**: test accuracy "
        f"{100 * st.session_state[RUN_KEY].evaluation.accuracy:.1f} %. The settings "
        "now match its architecture; press Play to continue training or look around.",
        "upload_file",
    )


def _dataset_of(config: nn.CNNConfig) -> str:
    """The data set whose images and classes fit ``config``; ModelFileError when none does."""
    for name in DATASETS:
        data = dataset(name)
        fits = config.input_shape == data.input_shape and config.n_classes == len(data.class_names)
        if fits and all(str(F) in FILTER_CHOICES for F in config.filters):
            return name
    C, H, W = config.input_shape
    raise nn.ModelFileError(
        f"these weights are for a network this page cannot build (input {H} × {W} × {C}, "
        f"filters {list(config.filters)}, {config.n_classes} classes)"
    )


def _closest(choices: tuple[str, ...], value: float) -> str:
    return min(choices, key=lambda c: abs(float(c) - value))
