"""Home: why CNNs, where they are used, and a card for every lesson."""

import streamlit as st

from cnnviz.ui import page
from cnnviz.ui.lessons import LESSONS

page.setup("Home")
st.title(":material/neurology: cnnviz — see how a CNN sees")
st.markdown(page.lesson_text("home", "intro"))
st.markdown(page.lesson_text("home", "why"))
st.markdown(page.lesson_text("home", "uses"))
st.markdown(page.lesson_text("home", "lessons"))

for lesson in LESSONS:
    with st.container(border=True):
        st.page_link(lesson.path, label=f"{lesson.number} · {lesson.title}", icon=lesson.icon)
        st.markdown(lesson.promise)

with st.expander("The notation every lesson uses", icon=":material/functions:"):
    st.markdown(page.lesson_text("notation", "table"))
