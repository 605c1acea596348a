"""A predict-then-reveal question: plain data that `cnnviz.ui.widgets.check_yourself` asks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    """A predict-then-reveal question with a numeric answer.

    tolerance : how far an answer may be from ``answer`` and still count as right.
    """

    prompt: str
    answer: float
    explanation: str
    tolerance: float = 0.0

    def is_correct(self, guess: float) -> bool:
        """True when ``guess`` is within ``tolerance`` of the answer."""
        return abs(guess - self.answer) <= self.tolerance + 1e-9
