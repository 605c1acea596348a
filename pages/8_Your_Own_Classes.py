"""Lesson 8: teach a network your own classes — from scratch and by transfer learning."""

import streamlit as st

from cnnviz.data import augment, own_classes
from cnnviz.lessons import your_own_classes as lesson
from cnnviz.nn import TinyCNN, optim, transfer
from cnnviz.ui import page, widgets

view = page.lesson("your_own_classes", lesson.SETTINGS)

st.header("1 · Make your classes")
st.markdown(view.text("classes"))
problems = lesson.classes_panel()
st.subheader("Add examples")
st.markdown(view.text("add"))
lesson.add_panel()
lesson.show_note()

if any(problem.blocking for problem in problems):
    st.info("Fix what is listed above, and the networks will be ready to train here.")
else:
    data = lesson.training_data()
    st.header("2 · How an example becomes the input")
    st.markdown(view.text("prepare"))
    lesson.colour_setting()
    k, j = lesson.pick_example(data)
    lesson.preparation_view(data, k, j)

    st.header("3 · Hold some back, and augment")
    st.markdown(view.text("held"))
    lesson.split_settings()
    lesson.held_out_view(data)
    st.markdown(view.text("augment"))
    lesson.augmentation_view(data, k, j)

    st.header("4 · Train two networks side by side")
    st.markdown(lesson.train_text())
    lesson.training_settings()
    runs = lesson.current_runs(data)
    lesson.show_note("train")
    lesson.counts_table(runs)
    lesson.training_panel()
    st.markdown(view.text("honest"))

    st.header("5 · Use it")
    st.markdown(view.text("use"))
    lesson.frozen_while_playing()
    image, truth = lesson.new_example(data)
    if image is None:
        st.caption("Nothing to classify yet.")
    else:
        named = lesson.predictions_view(runs, image, truth)
        st.subheader("The transferred layers' feature maps")
        st.markdown(view.text("features"))
        lesson.feature_maps_view(named)
    st.subheader("Confusion on the held-out examples")
    st.markdown(view.text("confusion"))
    lesson.confusion_view(runs)
    st.subheader("Overfitting: training vs held-out accuracy")
    st.markdown(view.text("overfitting"))
    lesson.overfitting_view(runs, data)
    st.markdown(view.text("gap"))
    lesson.gap_view()

    st.header("6 · Keep it")
    st.markdown(view.text("keep"))
    lesson.weights_io(runs, data)

    widgets.check_yourself(lesson.questions(runs, data), key=lesson.keys.QUIZ_KEY)
widgets.numpy_behind(
    own_classes.prepare,
    augment.augment_batch,
    transfer.copy_layers,
    transfer.frozen_plan,
    TinyCNN.step_grads,
    optim.Optimizer.step,
)
view.finish()
