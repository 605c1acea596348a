"""Lesson 7: a tiny CNN written in NumPy, trained live, inspectable at every layer."""

import streamlit as st

from cnnviz import quiz
from cnnviz.data import preprocess
from cnnviz.nn import layers, pooling, train
from cnnviz.ui import page, state, trainview, urlstate, widgets

T = trainview
VIEWS = {
    "layers": "Layer by layer",
    "confusion": "Confusion & mistakes",
    "draw": "Draw your own",
    "step": "Inside one step",
}
URL = (
    urlstate.ChoiceParam("data", state.TRAIN_DATASET, "digits", tuple(T.DATASETS)),
    urlstate.IntParam("blocks", state.TRAIN_BLOCKS, 2, 1, T.MAX_BLOCKS),
    *(
        urlstate.ChoiceParam(
            f"f{i}", f"{state.TRAIN_FILTERS}_{i}", T.DEFAULT_FILTERS[i - 1], T.FILTER_CHOICES
        )
        for i in range(1, T.MAX_BLOCKS + 1)
    ),
    urlstate.ChoiceParam("kernel", state.TRAIN_KERNEL, "3", T.KERNELS),
    urlstate.ChoiceParam("pool", state.TRAIN_POOL, "max", tuple(T.POOLS)),
    urlstate.ChoiceParam("dropout", state.TRAIN_DROPOUT, "0", T.DROPOUTS),
    urlstate.ChoiceParam("opt", state.TRAIN_OPTIMIZER, "adam", tuple(T.OPTIMIZERS)),
    urlstate.ChoiceParam("lr", state.TRAIN_LR, "0.01", T.LEARNING_RATES),
    urlstate.ChoiceParam("batch", state.TRAIN_BATCH, "32", T.BATCHES),
    urlstate.ChoiceParam("augment", state.TRAIN_AUGMENT, "none", tuple(T.AUGMENTS)),
    urlstate.IntParam("seed", state.TRAIN_SEED, 0, 0, 9999),
    urlstate.ChoiceParam("view", state.TRAIN_VIEW, "layers", tuple(VIEWS)),
)

page.setup("Train a CNN")
st.title("7 · Train a tiny CNN — live")
urlstate.restore(URL)
st.markdown(T.narrative("intro", T.chosen_dataset()))

st.header("Choose the data and the network")
st.markdown(page.lesson_text("train_a_cnn", "settings"))
settings = T.settings_panel()
trainer = T.current_trainer(settings)
T.show_note()
T.update_rule(trainer.optimizer)
with st.expander("The architecture: layers, shapes and parameter counts", expanded=False):
    st.markdown(page.lesson_text("train_a_cnn", "architecture"))
    T.architecture_table(trainer.model.config)

st.header("Train")
st.markdown(page.lesson_text("train_a_cnn", "live"))
T.training_panel()

st.header("Look inside")
st.markdown(page.lesson_text("train_a_cnn", "views"))
view = st.segmented_control(
    "View", tuple(VIEWS), key=state.TRAIN_VIEW, format_func=VIEWS.get, required=True
)
step = None
if trainer.diverged:
    st.info("The network has diverged, so its outputs are meaningless: press Reset above.")
elif view == "layers":
    st.markdown(page.lesson_text("train_a_cnn", "layers"))
    T.test_image_view(trainer)
elif view == "confusion":
    st.markdown(page.lesson_text("train_a_cnn", "confusion"))
    T.confusion_view(trainer)
elif view == "draw":
    st.markdown(page.lesson_text("train_a_cnn", "draw"))
    T.own_input_view(trainer)
else:
    st.markdown(page.lesson_text("train_a_cnn", "step"))
    step = T.inside_step_view(trainer)

st.header("Keep the weights")
T.weights_io(trainer)

data = T.dataset(settings.dataset)
widgets.check_yourself(
    quiz.train_a_cnn_questions(trainer.model.config, len(data.y_train), settings.batch, step),
    key=state.TRAIN_QUIZ,
)
widgets.numpy_behind(
    layers.conv_forward,
    layers.conv_backward,
    pooling.pool_forward,
    pooling.pool_backward,
    layers.softmax_cross_entropy,
    type(trainer.optimizer),
    train.train_steps,
    *([preprocess.uci_digit] if view == "draw" and settings.dataset == "digits" else []),
)
urlstate.sync(URL)
