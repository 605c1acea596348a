"""Every ``st.session_state`` key cnnviz uses, declared once. Keys are ``<page>_<name>``.

Widget keys double as session-state keys; URL parameters are mapped onto them in the pages.
"""

# Lesson 1 · Pixels
PIXELS_IMAGE = "pixels_image"
PIXELS_UPLOAD = "pixels_upload"
PIXELS_ROW = "pixels_row"
PIXELS_COL = "pixels_col"
PIXELS_SIZE = "pixels_size"
PIXELS_CHANNEL = "pixels_channel"
PIXELS_DIGIT = "pixels_digit"
PIXELS_DIGIT_INDEX = "pixels_digit_index"
PIXELS_RESIZE = "pixels_resize"
PIXELS_RESIZE_METHOD = "pixels_resize_method"
PIXELS_QUIZ = "pixels_quiz"
