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

# Lesson 2 · Convolution
CONV_SOURCE = "conv_source"
CONV_IMAGE = "conv_image"
CONV_UPLOAD = "conv_upload"
CONV_CROP_ROW = "conv_crop_row"
CONV_CROP_COL = "conv_crop_col"
CONV_CROP_SIZE = "conv_crop_size"
CONV_KERNEL = "conv_kernel"  # prefix of the kernel editor's keys (see ui.kernel_editor)
CONV_BIAS = "conv_bias"
CONV_STRIDE = "conv_stride"
CONV_PAD = "conv_pad"
CONV_DILATION = "conv_dilation"
CONV_FLIP = "conv_flip"
CONV_PLAYER = "conv_player"  # prefix of the step player's keys (see ui.player)
CONV_OUTPUT_CHART = "conv_output_chart"
CONV_PAIR_A1 = "conv_pair_a1"
CONV_PAIR_A2 = "conv_pair_a2"
CONV_PAIR_B1 = "conv_pair_b1"
CONV_PAIR_B2 = "conv_pair_b2"
CONV_COLOUR_ROW = "conv_colour_row"
CONV_COLOUR_COL = "conv_colour_col"
CONV_FILTERS = "conv_filters"
CONV_QUIZ = "conv_quiz"
