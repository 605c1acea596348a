"""Lesson 9: what does the network look at? Six ways to ask a trained CNN why it answered."""

import streamlit as st

from cnnviz.lessons import what_it_looks_at as lesson
from cnnviz.ui import page, widgets

view = page.lesson("what_it_looks_at", lesson.SETTINGS)

st.header("Which network, which example")
st.markdown(view.text("choose"))
network_col, example_col, shown_col = st.columns([3, 3, 3], gap="large")
with network_col:
    network = lesson.network_picker()
with example_col:
    subject = lesson.example_picker(network)
with shown_col:
    lesson.example_panel(subject)

st.header("Six ways to ask why")
st.markdown(view.text("views"))
shown = lesson.view_picker()
st.markdown(view.text(shown))
ran = lesson.show_view(shown, subject)

widgets.check_yourself(lesson.questions(network), key=lesson.QUIZ_KEY)
widgets.numpy_behind(*ran)
view.finish()
