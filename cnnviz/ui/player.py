"""A step player: play / pause / back / forward / scrub / speed over steps 0 … n-1.

Playing runs inside ``st.fragment(run_every=…)``, so each tick reruns only the player and the
view it draws, never the whole page. The timer exists only while playing: Play and Pause
rerun the whole page once, which re-creates the fragment with or without ``run_every`` — so
pausing takes effect at once and a paused page costs the server nothing.

Every request from the browser carries the value each widget has *on screen*, and a tick's
request can cross the server's next step in flight. So no control here may read a value the
server itself moves as a learner's action: Play and Pause are two buttons that each say what
they want (a Pause that arrives twice, or after the player stopped, still means pause), and
the step slider exists only while paused (while playing, a progress bar: a slider the server
moved every tick came back in the next click with its previous position, which counted as a
drag back and turned that Pause into "back one step and play on").
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from cnnviz.ui.settings import IntSetting

SPEEDS = {"slow": 1.5, "normal": 0.8, "fast": 0.35}
"""Seconds per step."""
BUTTONS = ("back", "play", "pause", "next")
"""The player's buttons; ``{key}_step_{name}`` is each one's widget key."""


@dataclass(frozen=True)
class PlayerKeys:
    """Session keys of one player, all derived from its ``key``."""

    step: str
    playing: str
    speed: str
    scrub: str
    just_started: str
    last_advance: str
    rerun_page: str

    @classmethod
    def of(cls, key: str) -> PlayerKeys:
        names = ("step", "playing", "speed", "scrub", "just_started", "rerun_page", "last_advance")
        return cls(*(f"{key}_{name}" for name in names))


def step_setting(key: str, *, url: str = "step") -> IntSetting:
    """The player's own setting in a page's link: the step shown (0-based), clamped to the
    steps there are by `current_step` when the page runs."""
    return IntSetting(key=PlayerKeys.of(key).step, url=url, label="Step", default=0, lo=0,
                      hi=10_000)  # fmt: skip


def current_step(key: str, n_steps: int) -> int:
    """The player's step, clamped into ``[0, n_steps - 1]`` (settings may have shrunk it)."""
    return _clamped(PlayerKeys.of(key), n_steps)


def _clamped(keys: PlayerKeys, n_steps: int) -> int:
    step = min(max(int(st.session_state.get(keys.step, 0)), 0), max(n_steps - 1, 0))
    st.session_state[keys.step] = step
    return step


def step_player(
    n_steps: int, *, key: str, draw: Callable[[int], None], url_param: str | None = None
) -> None:
    """Controls for stepping through ``n_steps`` steps; ``draw(step)`` shows the current one.

    key : prefix of the player's session keys (see `PlayerKeys`); ``{key}_step`` is the step.
    draw : called inside the fragment on every tick, so it must read nothing but its argument
        and state that the page computed before (captured in its closure).
    url_param : the page's URL parameter for the step, if it has one. A tick reruns only the
        fragment, not the page's `urlstate.sync`, so the player writes the step itself and a
        link copied mid-animation opens at the step on screen.
    """
    keys = PlayerKeys.of(key)
    st.session_state.setdefault(keys.speed, "normal")
    playing = bool(st.session_state.get(keys.playing)) and n_steps > 1
    interval = SPEEDS[st.session_state[keys.speed]] if playing else None

    @st.fragment(run_every=interval, key=key)
    def player() -> None:
        if st.session_state.pop(keys.rerun_page, False):
            st.rerun()  # Play/Pause/speed: re-create the fragment with the new timer
        step = current_step(key, n_steps)
        if st.session_state.get(keys.playing):
            if step >= n_steps - 1:  # reached the end: stop the timer
                st.session_state[keys.playing] = False
                st.rerun()
            elif not st.session_state.pop(keys.just_started, False) and _due(keys, interval):
                step = _go_to(keys, step + 1, n_steps)
        _controls(keys, step, n_steps)
        draw(step)
        if url_param and st.query_params.get(url_param) != str(step):
            st.query_params[url_param] = str(step)

    player()


def _controls(keys: PlayerKeys, step: int, n_steps: int) -> None:
    playing = bool(st.session_state.get(keys.playing))
    back, play, forward, position, speed = st.columns(
        [1, 1.2, 1, 3.8, 2], vertical_alignment="bottom"
    )
    back.button(
        "Back",
        icon=":material/skip_previous:",
        key=f"{keys.step}_back",
        disabled=step == 0,
        on_click=_jump,
        args=(keys, step - 1, n_steps),
        width="stretch",
    )
    with play:
        _play_pause(keys, playing, n_steps)
    forward.button(
        "Next",
        icon=":material/skip_next:",
        key=f"{keys.step}_next",
        disabled=step >= n_steps - 1,
        on_click=_jump,
        args=(keys, step + 1, n_steps),
        width="stretch",
    )
    with position:
        _position(keys, step, n_steps, playing)
    speed.selectbox(
        "Speed",
        tuple(SPEEDS),
        key=keys.speed,
        on_change=_speed_changed,
        args=(keys,),
        format_func=str.capitalize,
    )


def _play_pause(keys: PlayerKeys, playing: bool, n_steps: int) -> None:
    """Pause while playing, Play while paused: two buttons, each with its own key and intent."""
    label, icon, on_click, args = (
        ("Pause", "pause", _set_playing, (keys, False))
        if playing
        else ("Play", "play_arrow", _play, (keys, n_steps))
    )
    st.button(
        label,
        type="primary",
        icon=f":material/{icon}:",
        key=f"{keys.step}_{label.lower()}",
        on_click=on_click,
        args=args,
        width="stretch",
    )


def _position(keys: PlayerKeys, step: int, n_steps: int, playing: bool) -> None:
    """The step slider while paused; while playing a progress bar (see the module docstring)."""
    if playing:
        st.progress((step + 1) / n_steps, text=f"Playing: {step + 1} of {n_steps} steps")
    elif n_steps > 1:
        st.session_state[keys.scrub] = step + 1  # the slider shows the step, 1-based for people
        st.slider(
            f"Step (of {n_steps})",
            min_value=1,
            max_value=n_steps,
            key=keys.scrub,
            on_change=_scrubbed,
            args=(keys, n_steps),
        )
    else:
        st.caption("There is only one step: the kernel fits in one place.")


QUEUED_TICK = 0.5
"""A tick arriving sooner than this share of the interval after the last step was queued on a
busy server: it redraws but does not step, so a Pause queued behind it lands within a tick."""


CLOCK = time.monotonic
"""The player's clock (tests that stand in for timer ticks replace it)."""


def _due(keys: PlayerKeys, interval: float | None) -> bool:
    """Whether this tick may step: at most one step per timer interval (`QUEUED_TICK`)."""
    now, last = CLOCK(), st.session_state.get(keys.last_advance, -math.inf)
    if interval and now - last < QUEUED_TICK * interval:
        return False
    st.session_state[keys.last_advance] = now
    return True


def _go_to(keys: PlayerKeys, step: int, n_steps: int) -> int:
    step = min(max(step, 0), n_steps - 1)
    st.session_state[keys.step] = step
    return step


def _set_playing(keys: PlayerKeys, playing: bool) -> None:
    was = bool(st.session_state.get(keys.playing))
    st.session_state[keys.playing] = playing
    if was != playing:
        st.session_state[keys.rerun_page] = True


def _play(keys: PlayerKeys, n_steps: int) -> None:
    if st.session_state.get(keys.playing):
        return  # a second Play (sent twice, or after a tick) changes nothing
    if _clamped(keys, n_steps) >= n_steps - 1:
        _go_to(keys, 0, n_steps)  # at the end, Play starts over
    st.session_state[keys.just_started] = True
    _set_playing(keys, True)


def _jump(keys: PlayerKeys, step: int, n_steps: int) -> None:
    _set_playing(keys, False)  # stepping by hand pauses
    _go_to(keys, step, n_steps)


def _scrubbed(keys: PlayerKeys, n_steps: int) -> None:
    if any(st.session_state.get(f"{keys.step}_{name}") for name in BUTTONS):
        return  # a button click carrying the slider's old position: not a drag
    _jump(keys, int(st.session_state[keys.scrub]) - 1, n_steps)


def _speed_changed(keys: PlayerKeys) -> None:
    if st.session_state.get(keys.playing):
        st.session_state[keys.rerun_page] = True


def jump_to(key: str, step: int, n_steps: int) -> None:
    """Pause the player ``key`` and show ``step`` (e.g. when an output cell is clicked)."""
    _jump(PlayerKeys.of(key), step, n_steps)
