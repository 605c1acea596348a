"""Lesson 7: a tiny CNN written in NumPy, trained live, inspectable at every layer."""

import streamlit as st

from cnnviz import quiz
from cnnviz.data import preprocess
from cnnviz.lessons import train_a_cnn as lesson
from cnnviz.nn import layers, pooling, train
from cnnviz.ui import page, widgets

view = page.lesson("train_a_cnn", lesson.SETTINGS, intro=False)
st.markdown(lesson.narrative("intro", lesson.DATASET.value))

st.header("Choose the data and the network")
st.markdown(view.text("settings"))
settings = lesson.settings_panel()
run = lesson.current_run(settings)
lesson.show_note()
lesson.update_rule(run.optimizer)
with st.expander("The architecture: layers, shapes and parameter counts", expanded=False):
    st.markdown(view.text("architecture"))
    lesson.architecture_table(run.model.config)

st.header("Train")
st.markdown(view.text("live"))
lesson.training_panel()

st.header("Look inside")
st.markdown(view.text("views"))
shown = lesson.view_picker()
step = None
if run.diverged:
    st.info("The network has diverged, so its outputs are meaningless: press Reset above.")
elif shown == "layers":
    st.markdown(view.text("layers"))
    lesson.test_image_view(run)
elif shown == "confusion":
    st.markdown(view.text("confusion"))
    lesson.confusion_view(run)
elif shown == "draw":
    st.markdown(view.text("draw"))
    lesson.own_input_view(run)
else:
    st.markdown(view.text("step"))
    step = lesson.inside_step_view(run)

st.header("Keep the weights")
lesson.weights_io(run)

widgets.check_yourself(
    quiz.train_a_cnn_questions(run.model.config, len(run.data.y_train), settings.batch_size, step),
    key=lesson.QUIZ_KEY,
)
widgets.numpy_behind(
    layers.conv_forward,
    layers.conv_backward,
    pooling.pool_forward,
    pooling.pool_backward,
    layers.softmax_cross_entropy,
    type(run.optimizer),
    train.train_steps,
    *([preprocess.uci_digit] if shown == "draw" and settings.dataset == "digits" else []),
)
view.finish()
