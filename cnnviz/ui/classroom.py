"""Who is training on this server right now, so that each tick takes a fair share of the CPU.

Sessions that play lesson 7 check in on every tick (`TrainingFloor.check_in`); a session that
has not ticked for `ACTIVE_SECONDS` no longer counts. The floor is one object per server process
(``st.cache_resource``), guarded by a lock: Streamlit runs sessions in threads. It stores only
anonymous session ids and times, never anyone's model or data.
"""

from __future__ import annotations

import contextlib
import math
import os
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import streamlit as st

ACTIVE_SECONDS = 5.0
"""A session that has not ticked for this long is not training any more."""
SESSION_ID_KEY = "classroom_session_id"
CORES_ENV = "CNNVIZ_CORES"
"""Set by `scripts/serve_class.py` (and the Kubernetes manifests) to this replica's share."""


def server_cores() -> float:
    """Cores this server process may use: ``CNNVIZ_CORES`` when set (several replicas share a
    machine, or a container's CPU limit), else the cores the process may run on."""
    try:
        share = float(os.environ.get(CORES_ENV, ""))
    except ValueError:
        share = 0.0
    if 0 < share < float("inf"):
        return share
    if hasattr(os, "sched_getaffinity"):
        return float(len(os.sched_getaffinity(0)))
    return float(os.cpu_count() or 1)


@dataclass
class TrainingFloor:
    """The sessions training on this server and when each last ticked, and the turns to train.

    slots : how many ticks may train at the same moment (the cores). The others wait for a
        turn without taking a share of Python's GIL, so a click (a page run) is not queued
        behind thirty threads that all want the interpreter at once.
    """

    last_tick: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    slots: int = 1
    turns: threading.Semaphore = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.slots = max(1, int(self.slots))
        self.turns = threading.BoundedSemaphore(self.slots)

    @contextlib.contextmanager
    def turn(self) -> Iterator[None]:
        """Wait for a turn to train (at most `slots` at once), then train inside the block."""
        with self.turns:
            yield

    def check_in(self, session: str, now: float | None = None) -> int:
        """Record a tick of ``session``; returns how many sessions are training (>= 1)."""
        now = time.monotonic() if now is None else now
        with self.lock:
            self.last_tick[session] = now
            for other, seen in list(self.last_tick.items()):
                if now - seen > ACTIVE_SECONDS:
                    del self.last_tick[other]
            return len(self.last_tick)

    def count(self, now: float | None = None) -> int:
        """How many sessions ticked within the last `ACTIVE_SECONDS` (at least 1: the caller)."""
        now = time.monotonic() if now is None else now
        with self.lock:
            return max(1, sum(now - seen <= ACTIVE_SECONDS for seen in self.last_tick.values()))

    def leave(self, session: str) -> None:
        """``session`` paused: it no longer takes a share."""
        with self.lock:
            self.last_tick.pop(session, None)


@st.cache_resource(show_spinner=False)
def training_floor() -> TrainingFloor:
    """The one floor of this server process, with a training turn per core."""
    return TrainingFloor(slots=max(1, math.ceil(server_cores())))


def session_id() -> str:
    """An anonymous id for this browser session (kept in its session state)."""
    return st.session_state.setdefault(SESSION_ID_KEY, uuid.uuid4().hex)
