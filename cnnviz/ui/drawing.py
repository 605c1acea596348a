"""A drawing canvas with its Clear button, for the lessons where a learner draws an input.

The canvas is `streamlit-drawable-canvas`: white strokes on black, returned as an (H, W, 4)
uint8 RGBA array. A component keeps its drawing in the browser, so Clear gives the canvas a new
widget key (``key``, ``key_1``, ``key_2`` …), counted in the session under ``clears``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st


@dataclass(frozen=True)
class Canvas:
    """One lesson's drawing canvas, declared once (its session keys) like a setting.

    key : the canvas widget's session key before the first Clear
    clears : session key counting the Clears (each gives the canvas a new key)
    clear_button : the Clear button's widget key
    side : width and height of the canvas in pixels
    """

    key: str
    clears: str
    clear_button: str
    side: int = 224
    stroke_width: int = 18

    def current_key(self) -> str:
        """The canvas widget's key now: `key`, then ``f"{key}_{n}"`` after n Clears."""
        n = st.session_state.get(self.clears, 0)
        return self.key if n == 0 else f"{self.key}_{n}"

    def clear(self) -> None:
        """Start over on a blank canvas (a new widget key); the old drawing is forgotten."""
        st.session_state.pop(self.current_key(), None)
        st.session_state[self.clears] = st.session_state.get(self.clears, 0) + 1

    def draw(self, prompt: str, *, empty_note: str | None = None) -> np.ndarray | None:
        """The canvas under ``prompt`` (markdown) and a Clear button.

        Returns the drawing as (side, side, 4) uint8 RGBA, or None before the first stroke
        (then ``empty_note``, if given, is shown) or when the browser sent a damaged drawing.
        """
        from streamlit_drawable_canvas import st_canvas  # registers its component on first use

        st.markdown(prompt)
        result = st_canvas(
            stroke_width=self.stroke_width,
            stroke_color="#ffffff",
            background_color="#000000",
            height=self.side,
            width=self.side,
            return_image_data=True,
            key=self.current_key(),
        )
        st.button(
            "Clear the drawing",
            icon=":material/ink_eraser:",
            key=self.clear_button,
            on_click=self.clear,
            help="Start a new drawing on an empty canvas.",
        )
        try:
            image = result.image_data
        except (ValueError, OSError):  # a damaged drawing from the browser: ask for a new one
            image = None
        if image is None or not (result.json_data or {}).get("objects"):
            if empty_note:
                st.caption(empty_note)
            return None
        return np.asarray(image, dtype=np.uint8)
