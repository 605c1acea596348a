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

# Lesson 3 · Filter playground
PLAY_IMAGE = "play_image"
PLAY_UPLOAD = "play_upload"
PLAY_MODE = "play_mode"
PLAY_MIX = "play_mix"
PLAY_KERNEL = "play_kernel"  # prefix of the kernel editor's keys (see ui.kernel_editor)
PLAY_RAW_CHANNEL = "play_raw_channel"
PLAY_ROW = "play_row"
PLAY_COL = "play_col"
PLAY_DOWNLOAD_VIEW = "play_download_view"
PLAY_QUIZ = "play_quiz"

# Lesson 5 · Pooling: its settings are declared in cnnviz.lessons.pooling

# Lesson 4 · Stride, padding and dilation
STRIDE_HEIGHT = "stride_height"
STRIDE_WIDTH = "stride_width"
STRIDE_KERNEL = "stride_kernel"
STRIDE_STEP_SIZE = "stride_step_size"
STRIDE_PAD = "stride_pad"
STRIDE_DILATION = "stride_dilation"
STRIDE_VIEW = "stride_view"
STRIDE_PLAYER = "stride_player"  # prefix of the step player's keys (see ui.player)
STRIDE_NET = "stride_net"  # prefix of the shape calculator's keys (see ui.strideview)
STRIDE_NET_HEIGHT = "stride_net_height"
STRIDE_NET_WIDTH = "stride_net_width"
STRIDE_NET_DEPTH = "stride_net_depth"
STRIDE_NET_PRESET = "stride_net_preset"
STRIDE_QUIZ = "stride_quiz"

# Lesson 6 · Activations and softmax
ACT_FUNCTION = "act_function"
ACT_X = "act_x"
ACT_SLOPE = "act_slope"
ACT_IMAGE = "act_image"
ACT_KERNEL = "act_kernel"
ACT_CROP_ROW = "act_crop_row"
ACT_CROP_COL = "act_crop_col"
ACT_CROP_SIZE = "act_crop_size"
ACT_SCORES = "act_scores"
ACT_TEMPERATURE = "act_temperature"
ACT_QUIZ = "act_quiz"

# Lesson 7 · Train a tiny CNN
TRAIN_DATASET = "train_dataset"
TRAIN_BLOCKS = "train_blocks"
TRAIN_FILTERS = "train_filters"  # prefix: train_filters_1 … train_filters_3, one per block
TRAIN_KERNEL = "train_kernel"
TRAIN_POOL = "train_pool"
TRAIN_DROPOUT = "train_dropout"
TRAIN_OPTIMIZER = "train_optimizer"
TRAIN_LR = "train_lr"
TRAIN_BATCH = "train_batch"
TRAIN_AUGMENT = "train_augment"
TRAIN_SEED = "train_seed"
TRAIN_TRAINER = "train_trainer"  # the learner's model, optimiser and history (ui.trainview)
TRAIN_PLAYING = "train_playing"  # "play" or "pause"
TRAIN_STOP = "train_stop"
TRAIN_NOTE = "train_note"
TRAIN_VIEW = "train_view"
TRAIN_IMAGE = "train_image"
TRAIN_CONFUSION_CHART = "train_confusion_chart"
TRAIN_CELL = "train_cell"
TRAIN_SOURCE = "train_source"
TRAIN_CANVAS = "train_canvas"
TRAIN_CANVAS_CLEARS = "train_canvas_clears"
"""How many times the drawing was cleared: each Clear gives the canvas a new widget key."""
TRAIN_UPLOAD = "train_upload"
TRAIN_WEIGHTS_UPLOAD = "train_weights_upload"
TRAIN_STEP_LAYER = "train_step_layer"
TRAIN_STEP_FILTER = "train_step_filter"
TRAIN_STEP_CHANNEL = "train_step_channel"
TRAIN_QUIZ = "train_quiz"
