"""Home: why CNNs, where they are used, and a card for every lesson."""

import streamlit as st

from cnnviz.data import synthetic
from cnnviz.ui import page, presenter, widgets
from cnnviz.ui.lessons import LESSONS
from cnnviz.viz import matrices

top = page.setup("Home")
st.title(":material/neurology: cnnviz — see how a CNN sees")
intro, picture = st.columns([3, 2], gap="large")
intro.markdown(page.lesson_text("home", "intro"))
with picture:  # also loads the chart library, so a learner's first lesson opens quickly
    widgets.chart(matrices.matrix_figure(synthetic.digit_four(), title="A 4, as a computer sees it",
                                         zmin=0, zmax=255))  # fmt: skip
    st.caption("64 numbers, 0 black to 255 white. Lesson 1 starts here.")
st.markdown(page.lesson_text("home", "why"))
st.markdown(page.lesson_text("home", "uses"))
st.markdown(page.lesson_text("home", "lessons"))

for lesson in LESSONS:
    with st.container(border=True):
        st.page_link(lesson.path, label=f"{lesson.number} · {lesson.title}", icon=lesson.icon)
        st.markdown(lesson.promise)

with st.expander("The notation every lesson uses", icon=":material/functions:"):
    st.markdown(page.lesson_text("notation", "table"))
presenter.bar(top, "", presenter.link_extras())
