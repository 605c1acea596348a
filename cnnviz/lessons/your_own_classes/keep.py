"""Step 6 of lesson 8: download a trained network with its class names (`.npz`, lesson 7's
format plus "class_names") and load one back. A file that does not fit (another lesson, another
number of classes, another input) gets a plain message and changes nothing."""

from __future__ import annotations

import streamlit as st

from cnnviz import nn
from cnnviz.lessons.your_own_classes import state, train
from cnnviz.lessons.your_own_classes.settings import (
    DOWNLOAD_BUTTON,
    KEEP_WHICH_KEY,
    NETWORKS,
    PLAYING_KEY,
    RUNS_KEY,
    WEIGHTS_UPLOAD_KEY,
    run_settings,
)
from cnnviz.nn.session import TrainingRun


def weights_io(runs: dict[str, TrainingRun], data: state.TrainingData) -> None:
    """Choose a network; download it, or load a file into it."""
    which = st.segmented_control(
        "Network", tuple(NETWORKS), key=KEEP_WHICH_KEY, format_func=NETWORKS.get,
        default="transfer", required=True,
    )  # fmt: skip
    run = runs[which]
    down, up = st.columns(2, gap="large")
    with down:
        st.download_button(
            f"Download the {NETWORKS[which].lower()} network (.npz)",
            data=b"" if run.diverged else _file(run.model, state.names()),
            file_name=f"your-classes-{which}-step{run.step}.npz",
            mime="application/octet-stream", icon=":material/download:", key=DOWNLOAD_BUTTON,
            disabled=run.diverged, on_click="ignore",
        )  # fmt: skip
        st.caption(
            "Its architecture, every weight and your class names "
            f"({', '.join(state.names())}), as NumPy arrays: `np.load` reads it."
        )
    with up:
        st.file_uploader(
            f"Load a network saved here into “{NETWORKS[which]}” (.npz)", type=["npz"],
            key=WEIGHTS_UPLOAD_KEY, on_change=_loaded, args=(which, data), max_upload_size=16,
        )  # fmt: skip
    state.show_note("keep")


def _file(model: nn.TinyCNN, names: tuple[str, ...]):
    """The .npz, made only when the button is clicked (Streamlit calls this then, in another
    thread): saving on every rerun cost 4 ms of each. The network as it is at the click."""
    return lambda: nn.save(model, class_names=names)


def _loaded(which: str, data: state.TrainingData) -> None:
    upload = st.session_state.get(WEIGHTS_UPLOAD_KEY)
    runs = st.session_state.get(RUNS_KEY)
    if upload is None or runs is None:
        return
    expected = runs[which].model.config
    try:
        model, names = nn.load_named(upload.getvalue(), expected)
    except nn.ModelFileError as error:
        state.note(f"**{upload.name}** was not loaded (nothing changed): {error}", "block", "keep")
        return
    for run in runs.values():
        run.interrupt()
    st.session_state[PLAYING_KEY] = "pause"
    runs[which] = train.start_run(which, run_settings(data.key), data, model=model)
    ours = state.names()
    said = f" Its classes are {', '.join(names)}." if names else ""
    if names and tuple(names) != ours:
        said += f" Yours are {', '.join(ours)}: output k now means your class k."
    state.note(
        f"Loaded **{upload.name}** into “{NETWORKS[which]}”: held-out accuracy "
        f"{100 * runs[which].evaluation.accuracy:.0f} %.{said}",
        "upload_file",
        "keep",
    )
