"""The training floor: who trains on this server now, and what a learner is told about it."""

import os
import threading
import time

import pytest

from cnnviz.lessons import train_a_cnn as lesson
from cnnviz.ui import classroom
from tests.app.conftest import app_test


def test_the_floor_counts_sessions_that_ticked_lately():
    floor = classroom.TrainingFloor()
    assert floor.check_in("a", now=0.0) == 1
    assert floor.check_in("b", now=1.0) == 2
    assert floor.count(now=1.5) == 2
    assert floor.check_in("b", now=classroom.ACTIVE_SECONDS + 0.5) == 1  # "a" went quiet
    floor.leave("b")
    assert floor.count(now=10.0) == 1  # never less than the caller


def test_a_learner_sees_that_the_server_is_shared():
    floor = classroom.training_floor()
    floor.last_tick.clear()
    for other in ("x", "y"):
        floor.check_in(other)
    at = app_test("pages/7_Train_a_CNN.py").run()
    at.button_group(key=lesson.PLAYING_KEY).set_value("play").run()
    at.run()  # one timer tick
    step_line = next(m.value for m in at.markdown if m.value.startswith("**Step"))
    assert "The server is shared: 2 other learners are training too" in step_line
    assert len(floor.last_tick) == 3
    at.button_group(key=lesson.PLAYING_KEY).set_value("pause").run()
    assert len(floor.last_tick) == 2  # pausing leaves the floor
    floor.last_tick.clear()


@pytest.mark.parametrize(
    ("value", "cores"),
    [("1", 1.0), ("0.5", 0.5), ("", None), ("abc", None), ("-2", None), ("inf", None)],
)
def test_a_replica_uses_the_share_of_cores_it_is_given(monkeypatch, value, cores):
    """`scripts/serve_class.py` runs one replica per core and tells each its share."""
    monkeypatch.setenv(classroom.CORES_ENV, value)
    expected = cores or float(len(os.sched_getaffinity(0)))
    assert classroom.server_cores() == expected


def test_only_as_many_ticks_train_at_once_as_there_are_turns():
    floor = classroom.TrainingFloor(slots=2)
    inside, most = [0], [0]
    lock = threading.Lock()

    def tick() -> None:
        with floor.turn():
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.02)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=tick) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 2
    assert classroom.TrainingFloor(slots=0).slots == 1  # never no turn at all


def test_two_learners_on_one_server_never_share_a_network():
    """Sessions share the server's caches (data sets, the training floor), never a model."""
    first = app_test("pages/7_Train_a_CNN.py").run()
    second = app_test("pages/7_Train_a_CNN.py").run()
    first.button(key=lesson.STEP_BUTTON).click().run()
    first.button(key=lesson.STEP_BUTTON).click().run()
    mine, theirs = (at.session_state[lesson.RUN_KEY] for at in (first, second))
    assert (mine.step, theirs.step) == (2, 0)
    assert mine.model is not theirs.model and mine.optimizer is not theirs.optimizer
    for name, weights in mine.model.params.items():
        assert weights is not theirs.model.params[name]
    assert mine.data is theirs.data  # one read-only copy of the data set for everyone
    assert not mine.data.x_train.flags.writeable
    floor = classroom.training_floor()
    assert all(isinstance(k, str) and isinstance(v, float) for k, v in floor.last_tick.items())
