"""The lesson map: what the home page and the sidebar link to, in order.

Only lessons that exist are listed here — no placeholder pages.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    """One lesson page: its number, title, script path (relative to app.py) and promise."""

    number: int
    title: str
    path: str
    icon: str
    promise: str
    heading: str = ""
    """The page's title after "N · " (default: ``title``)."""

    @property
    def name(self) -> str:
        """The one name of this lesson everywhere: ``pages/5_Pooling.py`` -> ``pooling`` is also
        ``cnnviz/lessons/pooling``, ``cnnviz/quiz/pooling``, ``assets/lessons/pooling.md`` and
        ``tests/app/test_pooling.py``."""
        return self.url_path.lower()

    @property
    def url_path(self) -> str:
        """The page's address after the host: ``pages/1_Pixels.py`` is served at ``/Pixels``."""
        return self.path.rsplit("/", 1)[-1].removesuffix(".py").split("_", 1)[1]


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        number=1,
        title="Pixels",
        path="pages/1_Pixels.py",
        heading="Pixels — what a computer sees",
        icon=":material/grid_on:",
        promise="Read an image as the grid of numbers a computer stores — channel by channel.",
    ),
    Lesson(
        number=2,
        title="Convolution",
        path="pages/2_Convolution.py",
        heading="Convolution — step by step",
        icon=":material/blur_on:",
        promise="Slide a kernel over an image step by step and check every sum of products.",
    ),
    Lesson(
        number=3,
        title="Filter playground",
        path="pages/3_Filter_Playground.py",
        icon=":material/tune:",
        promise="Run blur, sharpen and edge filters — or your own — on any photo, and read the "
        "raw numbers they produce.",
    ),
    Lesson(
        number=4,
        title="Stride and padding",
        path="pages/4_Stride_and_Padding.py",
        heading="Stride, padding and dilation — the arithmetic",
        icon=":material/straighten:",
        promise="Work out any layer's output size with stride, padding and dilation — and a whole "
        "network's shapes and parameter counts.",
    ),
    Lesson(
        number=5,
        title="Pooling",
        path="pages/5_Pooling.py",
        heading="Pooling — max vs average",
        icon=":material/photo_size_select_small:",
        promise="Compare max and average pooling on the same numbers, see what survives, and "
        "follow the gradient back.",
    ),
    Lesson(
        number=6,
        title="Activations and softmax",
        path="pages/6_Activations.py",
        icon=":material/show_chart:",
        promise="Bend feature maps with ReLU and friends, and turn scores into probabilities "
        "with softmax.",
    ),
    Lesson(
        number=7,
        title="Train a CNN",
        path="pages/7_Train_a_CNN.py",
        heading="Train a tiny CNN — live",
        icon=":material/model_training:",
        promise="Train a tiny CNN written in NumPy, live: watch its filters, feature maps and "
        "mistakes, then draw a digit for it to read.",
    ),
    Lesson(
        number=8,
        title="Your own classes",
        path="pages/8_Your_Own_Classes.py",
        heading="Teach it your own classes",
        icon=":material/category:",
        promise="Make classes from your drawings, photos or files, and train a network from "
        "scratch and by transfer learning side by side — and see it overfit.",
    ),
    Lesson(
        number=9,
        title="What it looks at",
        path="pages/9_What_It_Looks_At.py",
        heading="What does the network look at?",
        icon=":material/visibility:",
        promise="Ask a trained CNN why it answered: receptive fields, saliency, occlusion, "
        "Grad-CAM, the input a filter wants — and a tiny nudge that fools it.",
    ),
)


def lesson_named(name: str) -> Lesson:
    """The lesson whose `Lesson.name` is ``name``."""
    for lesson in LESSONS:
        if lesson.name == name:
            return lesson
    raise KeyError(f"no lesson named {name!r}; known: {', '.join(x.name for x in LESSONS)}")
