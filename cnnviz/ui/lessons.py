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

    @property
    def url_path(self) -> str:
        """The page's address after the host: ``pages/1_Pixels.py`` is served at ``/Pixels``."""
        return self.path.rsplit("/", 1)[-1].removesuffix(".py").split("_", 1)[1]


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        number=1,
        title="Pixels",
        path="pages/1_Pixels.py",
        icon=":material/grid_on:",
        promise="Read an image as the grid of numbers a computer stores — channel by channel.",
    ),
    Lesson(
        number=2,
        title="Convolution",
        path="pages/2_Convolution.py",
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
)
