"""Lesson 4: how stride, padding and dilation decide where the window goes and the output size."""

import streamlit as st

from cnnviz import quiz
from cnnviz.lessons import stride_and_padding as lesson
from cnnviz.ops import conv, shapes, windows
from cnnviz.ui import page, widgets

view = page.lesson("stride_and_padding", lesson.SETTINGS)
st.latex(r"n_{\text{out}} = \left\lfloor \frac{n + 2p - d\,(k-1) - 1}{s} \right\rfloor + 1")
st.latex(r"\text{the window spans } d\,(k-1)+1 \text{ pixels}")

st.header("Worked examples")
st.markdown(view.text("examples"))
lesson.worked_examples()

st.header("Slide the window")
st.markdown(view.text("window"))
settings = lesson.controls()
problem = lesson.impossible_reason(settings)
if problem is not None:
    st.warning(problem, icon=":material/block:")
else:
    found = lesson.windows_of(settings)
    lesson.size_formulas(settings, found)
    lesson.window_view(settings, found)

st.header("Padding modes side by side")
st.markdown(view.text("padding"))
lesson.padding_modes(settings)

st.header("Network shape calculator")
st.markdown(view.text("calculator"))
input_shape, layer_rows = lesson.network_editor()
lesson.network_results(input_shape, layer_rows)

widgets.check_yourself(
    quiz.stride_questions(
        settings.width, settings.kernel, settings.stride, settings.pad_value, settings.dilation
    ),
    key=lesson.QUIZ_KEY,
)
widgets.numpy_behind(
    shapes.output_size,
    shapes.resolve_padding,
    windows.window_positions,
    conv.correlate2d,
    shapes.layer_table,
)
view.finish()
