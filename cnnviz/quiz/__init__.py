""" "Check yourself" questions generated from a lesson's current settings, one module a lesson.

A `Question` is plain data; `cnnviz.ui.widgets.check_yourself` asks it. Generators are pure
functions of the numbers on screen, so the answer is always the one the page itself computes.
"""

from cnnviz.quiz.activations import activation_questions
from cnnviz.quiz.convolution import convolution_questions
from cnnviz.quiz.filter_playground import filter_playground_questions
from cnnviz.quiz.pixels import pixels_questions
from cnnviz.quiz.pooling import pooling_questions
from cnnviz.quiz.question import Question
from cnnviz.quiz.stride_and_padding import stride_questions
from cnnviz.quiz.train_a_cnn import train_a_cnn_questions
from cnnviz.quiz.what_it_looks_at import what_it_looks_at_questions
from cnnviz.quiz.your_own_classes import your_own_classes_questions

__all__ = [
    "Question",
    "activation_questions",
    "convolution_questions",
    "filter_playground_questions",
    "pixels_questions",
    "pooling_questions",
    "stride_questions",
    "train_a_cnn_questions",
    "what_it_looks_at_questions",
    "your_own_classes_questions",
]
