"""Classroom load check: many students train lesson 7 at once, or open a shared link at once.

Starts ``streamlit run app.py`` on a free port of 127.0.0.1 (and nothing else), then opens
`--sessions` websocket sessions that each behave like a browser on /Train_a_CNN (``--lesson 8``:
/Your_Own_Classes, both networks training side by side): run the page,
press Play, answer every fragment timer tick (``auto_rerun``) as the frontend would, and after
`--seconds` press Pause. It prints, per session, the training steps made while playing, the
ticks answered and their round-trip times, how long Pause took and whether training really
stopped; then the server's memory. Everything is bounded: at most MAX_SESSIONS sessions and
MAX_SECONDS of playing, every wait has a timeout, and the server is stopped at the end.

    .venv/bin/python benchmarks/classroom_load.py --sessions 20 --seconds 30

With ``--open-link "/Convolution?input=photo"`` the sessions instead connect, wait for each
other, and send their first run of that page (with that query string) at the same moment, as
30 browsers do when a teacher shares a link; it prints each session's page run (first rerun
sent → ``script_finished``), the bytes the server sent, errors and the server's memory. The
first run after the server starts warms its caches; ``--warm`` opens the link once first, as
a teacher who checked the link before sharing it would. With ``--assets FILE`` (a JSON list of
paths, e.g. from ``browser_timing.py --save-assets``) each session first downloads the page
and those files from the server, six at a time as Chromium does, before it connects: a fresh
browser's ~10 MB of Streamlit's JavaScript, which the same server process sends.

    .venv/bin/python benchmarks/classroom_load.py --sessions 30 \\
        --open-link "/Convolution?input=photo"

The protocol is Streamlit's own: protobuf ``BackMsg``/``ForwardMsg`` over
``ws://127.0.0.1:<port>/_stcore/stream`` with the subprotocol ``streamlit``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import serve_class  # noqa: E402 - the replicas' launcher, and its way of stopping processes

PLAY, PAUSE = ":material/play_arrow: Play", ":material/pause: Pause"


@dataclass(frozen=True)
class TrainingPage:
    """A lesson with live training: its page, its Play | Pause control's key, and where its
    progress line prints the step count (lesson 8: the first network's, from scratch)."""

    page: str
    play_key: str
    step: re.Pattern


TRAINING_PAGES = {
    7: TrainingPage("Train_a_CNN", "train_playing", re.compile(r"\*\*Step ([\d,]+)\*\*")),
    8: TrainingPage("Your_Own_Classes", "own_playing", re.compile(r"step ([\d,]+), held-out")),
}
MAX_SESSIONS = 40
MAX_SECONDS = 120
RUN_TIMEOUT = 60.0
"""Longest wait for one script run to finish before a session gives up."""


@dataclass
class Student:
    """One simulated browser session and what it saw."""

    number: int
    lesson: TrainingPage = TRAINING_PAGES[7]
    play_id: str = ""
    fragment_id: str = ""
    interval: float = 0.0
    step: int = 0
    steps_at_play: int = 0
    steps_at_pause: int = 0
    steps_after_pause: int = -1
    tick_seconds: list[float] = field(default_factory=list)
    pause_seconds: float = float("nan")
    errors: list[str] = field(default_factory=list)


def _back_msg(student: Student, *, play: bool | None, fragment: bool = False) -> bytes:
    msg = BackMsg()
    rerun = msg.rerun_script
    rerun.query_string = ""
    rerun.page_name = student.lesson.page
    if play is not None and student.play_id:
        state = rerun.widget_states.widgets.add()
        state.id = student.play_id
        state.string_array_value.data.append(PLAY if play else PAUSE)
    if fragment:
        rerun.fragment_id = student.fragment_id
        rerun.is_auto_rerun = True
    return msg.SerializeToString()


async def _run(ws, student: Student, message: bytes) -> None:
    """Send one rerun request and read until that run has finished."""
    await ws.send(message)
    while True:
        raw = await asyncio.wait_for(ws.recv(), RUN_TIMEOUT)
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "delta":
            _read_delta(msg, student)
        elif kind == "auto_rerun":
            student.fragment_id = msg.auto_rerun.fragment_id
            student.interval = msg.auto_rerun.interval
        elif kind == "script_finished" and (
            msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
        ):
            return


def _read_delta(msg: ForwardMsg, student: Student) -> None:
    lesson = student.lesson
    if msg.delta.WhichOneof("type") != "new_element":
        return
    element = msg.delta.new_element
    kind = element.WhichOneof("type")
    if kind == "markdown":
        found = lesson.step.search(element.markdown.body)
        if found:
            student.step = int(found.group(1).replace(",", ""))
    elif kind == "button_group" and lesson.play_key in element.button_group.id:
        student.play_id = element.button_group.id
    elif kind == "exception":
        student.errors.append(element.exception.message)


async def student_session(url: str, student: Student, seconds: float) -> Student:
    """Open the page, play for `seconds` answering every timer tick, then pause."""
    try:
        async with websockets.connect(url, subprotocols=["streamlit"], max_size=None) as ws:
            await _run(ws, student, _back_msg(student, play=None))
            if not student.play_id:
                raise RuntimeError("the Play/Pause control was not found on the page")
            await _run(ws, student, _back_msg(student, play=True))
            student.steps_at_play = student.step
            stop = time.monotonic() + seconds
            while time.monotonic() < stop and student.fragment_id:
                await asyncio.sleep(student.interval)
                start = time.monotonic()
                await _run(ws, student, _back_msg(student, play=True, fragment=True))
                student.tick_seconds.append(time.monotonic() - start)
            student.steps_at_pause = student.step
            start = time.monotonic()
            await _run(ws, student, _back_msg(student, play=False))
            student.pause_seconds = time.monotonic() - start
            paused_at = student.step
            await asyncio.sleep(2.0)  # a paused page must not train on
            await _run(ws, student, _back_msg(student, play=False))
            student.steps_after_pause = student.step - paused_at
    except (OSError, RuntimeError, TimeoutError, websockets.WebSocketException) as error:
        student.errors.append(f"{type(error).__name__}: {error}")
    return student


@dataclass
class Visitor:
    """One simulated browser opening a shared link, and what its first page run cost."""

    number: int
    run_seconds: float = float("nan")
    link_seconds: float = float("nan")
    """From the moment the link is opened (assets, connection, page run) to script_finished."""
    asset_bytes: int = 0
    bytes_received: int = 0
    messages: int = 0
    errors: list[str] = field(default_factory=list)


def _open_msg(link: str) -> bytes:
    """The first rerun a browser sends for ``link`` ("/Page?query"): page name and query."""
    parts = urllib.parse.urlsplit(link)
    msg = BackMsg()
    msg.rerun_script.query_string = parts.query
    msg.rerun_script.page_name = parts.path.strip("/")
    return msg.SerializeToString()


@dataclass(frozen=True)
class Assets:
    """What a fresh browser downloads before its page runs: `paths` from `base` (http://…)."""

    base: str
    paths: tuple[str, ...]
    pool: ThreadPoolExecutor


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=RUN_TIMEOUT) as reply:
            return len(reply.read())
    except urllib.error.HTTPError:  # e.g. a deep link's /<page>/_stcore/health probe
        return 0


def _download(assets: Assets, link: str) -> int:
    """GET the link's page and every asset, six at a time (Chromium's connections per host)."""
    with ThreadPoolExecutor(6) as six:
        return sum(six.map(_get, [assets.base + p for p in (link, *assets.paths)]))


async def visitor_session(
    url: str, visitor: Visitor, link: str, go: asyncio.Event, assets: Assets | None = None
) -> Visitor:
    """Connect, wait for `go`, then send the link's first run and read until it finished.
    With `assets`: wait for `go`, download them, then connect (a fresh browser's order)."""
    try:
        if assets is not None:
            await go.wait()
        opened = time.monotonic()
        if assets is not None:
            loop = asyncio.get_running_loop()
            visitor.asset_bytes = await loop.run_in_executor(assets.pool, _download, assets, link)
        async with websockets.connect(url, subprotocols=["streamlit"], max_size=None) as ws:
            await go.wait()
            opened = opened if assets is not None else time.monotonic()
            start = time.monotonic()
            await ws.send(_open_msg(link))
            while True:
                raw = await asyncio.wait_for(ws.recv(), RUN_TIMEOUT)
                visitor.bytes_received += len(raw)
                visitor.messages += 1
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                kind = msg.WhichOneof("type")
                if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                    if msg.delta.new_element.WhichOneof("type") == "exception":
                        visitor.errors.append(msg.delta.new_element.exception.message)
                elif kind == "script_finished" and (
                    msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
                ):
                    visitor.run_seconds = time.monotonic() - start
                    visitor.link_seconds = time.monotonic() - opened
                    return visitor
    except (OSError, RuntimeError, TimeoutError, websockets.WebSocketException) as error:
        visitor.errors.append(f"{type(error).__name__}: {error}")
    return visitor


async def open_link(
    url: str, sessions: int, link: str, asset_paths: tuple[str, ...] = ()
) -> list[Visitor]:
    """`sessions` visitors open ``link`` at the same moment (after all have connected, or,
    with `asset_paths`, each downloading them first)."""
    go = asyncio.Event()
    visitors = [Visitor(n) for n in range(1, sessions + 1)]
    with ThreadPoolExecutor(sessions) as pool:
        http = url.replace("ws://", "http://").removesuffix("/_stcore/stream")
        assets = Assets(http, asset_paths, pool) if asset_paths else None
        tasks = [asyncio.create_task(visitor_session(url, v, link, go, assets)) for v in visitors]
        await asyncio.sleep(1.0)  # every websocket is open and waiting
        go.set()
        return list(await asyncio.gather(*tasks))


def _spread(seconds: list[float]) -> str:
    """'median X s, 95th percentile Y s, max Z s' of sorted `seconds` (the tick rule)."""
    median, p95 = statistics.median(seconds), seconds[int(0.95 * (len(seconds) - 1))]
    return f"median {median:.2f} s, 95th percentile {p95:.2f} s, max {seconds[-1]:.2f} s"


def open_report(visitors: list[Visitor], link: str) -> bool:
    """Per session: its page run and bytes; then `page run: median X s, 95th percentile Y s,
    max Z s` (sorted runs, the same percentile rule as the tick round trip)."""
    print(f"\n{'session':>7} {'page run':>9} {'messages':>9} {'KB':>7} {'link→run':>9} {'MB':>5}")
    for v in visitors:
        kb, mb = v.bytes_received / 1024, v.asset_bytes / 1e6
        print(
            f"{v.number:>7} {v.run_seconds:>8.2f}s {v.messages:>9} {kb:>7.0f} "
            f"{v.link_seconds:>8.2f}s {mb:>5.1f}"
        )
        for error in v.errors:
            print(f"        error: {error}")
    runs = sorted(v.run_seconds for v in visitors if v.run_seconds == v.run_seconds)
    errors = sum(len(v.errors) for v in visitors)
    print(f"\nsessions: {len(visitors)}, opening {link} at the same moment")
    if runs:
        print(f"page run: {_spread(runs)}")
    links = sorted(v.link_seconds for v in visitors if v.link_seconds == v.link_seconds)
    if links and any(v.asset_bytes for v in visitors):
        mb = statistics.median(v.asset_bytes for v in visitors) / 1e6
        print(f"link opened → page run finished: {_spread(links)}; {mb:.1f} MB of page and "
              "assets per session")  # fmt: skip
    sizes = [v.bytes_received / 1024 for v in visitors]
    print(f"sent per session: median {statistics.median(sizes):.0f} KB; errors: {errors}")
    return errors == 0 and len(runs) == len(visitors)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, log: Path) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("the server did not become healthy within 60 s")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def classroom(
    url: str, sessions: int, seconds: float, lesson: TrainingPage = TRAINING_PAGES[7]
) -> list[Student]:
    students = [Student(n, lesson) for n in range(1, sessions + 1)]
    return await asyncio.gather(*(student_session(url, s, seconds) for s in students))


def report(students: list[Student], seconds: float) -> bool:
    print(f"\n{'session':>7} {'steps':>7} {'steps/s':>8} {'ticks':>6} {'tick median':>12} "
          f"{'tick max':>9} {'pause':>7} {'after':>6}")  # fmt: skip
    ok = True
    for s in students:
        trained = s.steps_at_pause
        med = statistics.median(s.tick_seconds) if s.tick_seconds else float("nan")
        top = max(s.tick_seconds, default=float("nan"))
        print(
            f"{s.number:>7} {trained:>7,} {trained / seconds:>8.1f} {len(s.tick_seconds):>6} "
            f"{med:>11.2f}s {top:>8.2f}s {s.pause_seconds:>6.2f}s {s.steps_after_pause:>6}"
        )
        for error in s.errors:
            print(f"        error: {error}")
        ok &= not s.errors and trained > 0 and s.steps_after_pause == 0
    ticks = [t for s in students for t in s.tick_seconds]
    pauses = [s.pause_seconds for s in students if s.pause_seconds == s.pause_seconds]
    steps = [s.steps_at_pause for s in students]
    print(f"\nsessions: {len(students)}, playing {seconds:g} s each, all at once")
    print(f"steps per session: min {min(steps):,}, median {statistics.median(steps):,.0f}, "
          f"max {max(steps):,}; every session progressed: {all(n > 0 for n in steps)}")  # fmt: skip
    if ticks:
        ticks.sort()
        print(f"tick round trip: median {statistics.median(ticks):.2f} s, "
              f"95th percentile {ticks[int(0.95 * (len(ticks) - 1))]:.2f} s")  # fmt: skip
    if pauses:
        print(f"pause took: median {statistics.median(pauses):.2f} s, max {max(pauses):.2f} s; "
              f"steps after pause: {sorted({s.steps_after_pause for s in students})}")  # fmt: skip
    return ok


def _open_link_run(
    url: str, pids: list[int], sessions: int, link: str, *, warm: bool, assets: Path | None
) -> bool:
    if warm:
        (first,) = asyncio.run(open_link(url, 1, link))
        print(f"warm-up: one session opened {link} in {first.run_seconds:.2f} s")
    paths = tuple(json.loads(assets.read_text())) if assets else ()
    cpu = sum(_cpu_seconds(pid) for pid in pids)
    visitors = asyncio.run(open_link(url, sessions, link, paths))
    used = sum(_cpu_seconds(pid) for pid in pids) - cpu
    print(f"server CPU while the class opened the link: {used:.1f} s")
    print(f"server RSS after the class opened the link: {_rss_text(pids)}")
    return open_report(visitors, link)


def _rss_text(pids: list[int]) -> str:
    sizes = [rss_mb(pid) for pid in pids]
    each = f" ({' + '.join(f'{mb:.0f}' for mb in sizes)})" if len(sizes) > 1 else ""
    return f"{sum(sizes):.0f} MB{each}"


def start_servers(replicas: int, port: int) -> tuple[list[subprocess.Popen], list[int], str]:
    """One `streamlit run` (replicas 1), or `scripts/serve_class.py`'s replicas behind nginx.

    Returns the processes to stop, the app processes' pids and where the log is.
    """
    if replicas == 1:
        log = Path("/tmp") / f"classroom-load-{port}.log"
        server = start_server(port, log)
        return [server], [server.pid], str(log)
    run_dir = Path(tempfile.mkdtemp(prefix="classroom-load-"))
    processes = serve_class.serve(replicas, "127.0.0.1", port, run_dir)
    return processes, [p.pid for p in processes[:-1]], f"{run_dir} ({replicas} replicas, nginx)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument(
        "--open-link", metavar="LINK", help='e.g. "/Convolution?input=photo": open it at once'
    )
    parser.add_argument("--warm", action="store_true", help="open the link once before")
    parser.add_argument(
        "--lesson", type=int, choices=sorted(TRAINING_PAGES), default=7,
        help="the lesson whose live training the class plays (8: both networks side by side)",
    )  # fmt: skip
    parser.add_argument(
        "--assets", type=Path, help="JSON list of paths each fresh browser downloads first"
    )
    parser.add_argument(
        "--replicas", type=int, default=1,
        help="app processes behind nginx (scripts/serve_class.py); 1: one plain streamlit run",
    )  # fmt: skip
    args = parser.parse_args()
    sessions = min(max(args.sessions, 1), MAX_SESSIONS)
    seconds = min(max(args.seconds, 1.0), MAX_SECONDS)
    port = _free_port()
    processes, pids, log = start_servers(min(max(args.replicas, 1), 8), port)
    try:
        print(f"server on 127.0.0.1:{port} (log {log}), RSS {_rss_text(pids)}")
        url = f"ws://127.0.0.1:{port}/_stcore/stream"
        if args.open_link:
            ok = _open_link_run(
                url, pids, sessions, args.open_link, warm=args.warm, assets=args.assets
            )
        else:
            lesson = TRAINING_PAGES[args.lesson]
            students = asyncio.run(classroom(url, sessions, seconds, lesson))
            print(f"server RSS after the class: {_rss_text(pids)}")
            ok = report(students, seconds)
    finally:
        serve_class.stop(processes)
    if args.open_link:
        print("OK: every session's page ran" if ok else "PROBLEM: see the rows above")
    else:
        print("OK: every session trained and paused" if ok else "PROBLEM: see the rows above")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
