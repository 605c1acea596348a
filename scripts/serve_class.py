"""Serve cnnviz to a class: N Streamlit replicas behind nginx, on one machine.

One Streamlit process runs its Python on one core at a time (the GIL), so a 2-core server
carries a class best as two replicas. Each replica is an ordinary ``streamlit run app.py`` on
127.0.0.1; nginx (Debian's, `apt-get install nginx-light`) listens on ``--address:--port``
and keeps every browser on one replica (`deploy/nginx/cnnviz.conf.template`). Each replica is
told its share of the cores (``CNNVIZ_CORES``) so lesson 7 splits training time fairly, and
nginx serves Streamlit's JavaScript itself, compressed (a fresh browser fetches ~10 MB).

    .venv/bin/python scripts/serve_class.py                       # 1 replica per core, :8501
    .venv/bin/python scripts/serve_class.py --replicas 2 --address 0.0.0.0

Stops everything on Ctrl+C (or SIGTERM).
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "deploy" / "nginx" / "cnnviz.conf.template"
MAX_REPLICAS = 16


def usable_cores() -> int:
    """Cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def max_upload_mb() -> int:
    """``server.maxUploadSize`` of the app's config (MB)."""
    config = (ROOT / ".streamlit" / "config.toml").read_text()
    found = re.search(r"^maxUploadSize\s*=\s*(\d+)", config, re.MULTILINE)
    return int(found.group(1)) if found else 200  # Streamlit's default


COMPRESSED = {".js", ".css", ".json", ".svg", ".ttf", ".otf", ".html", ".txt", ".map"}


def prepare_static(run_dir: Path) -> Path:
    """A copy of Streamlit's static files with a ``.gz`` beside each text file, for nginx."""
    import streamlit  # only here: the launcher itself needs nothing from the app

    source = Path(streamlit.__file__).parent / "static" / "static"
    target = run_dir / "static"
    run_dir.chmod(0o755)  # nginx's workers drop root and must read these files
    shutil.copytree(source, target)
    for path in target.rglob("*"):
        if path.suffix in COMPRESSED and path.is_file():
            path.with_name(path.name + ".gz").write_bytes(
                gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
            )
    return target


def nginx_config(listen: str, ports: list[int], prefix: Path, static: Path) -> str:
    """`TEMPLATE` filled in for replicas on ``ports`` of 127.0.0.1."""
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=3;" for port in ports)
    return (
        TEMPLATE.read_text()
        .replace("__SERVERS__", servers)
        .replace("__LISTEN__", listen)
        .replace("__MAX_BODY__", f"{max_upload_mb() + 1}m")
        .replace("__PREFIX__", str(prefix))
        .replace("__STATIC__", str(static))
    )


def start_replica(port: int, cores: float, log: Path) -> subprocess.Popen:
    env = {**os.environ, "CNNVIZ_CORES": f"{cores:g}"}
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
        "--server.address", "127.0.0.1",
    ]  # fmt: skip
    with log.open("w") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_healthy(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not become healthy within {seconds:.0f} s")


def stop(processes: list[subprocess.Popen]) -> None:
    """Ask every process to end, then wait; kill what is still running after 15 s."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def serve(replicas: int, address: str, port: int, run_dir: Path) -> list[subprocess.Popen]:
    """Start the replicas and nginx; returns the processes (nginx last) once all are healthy.

    run_dir : logs, nginx's files and the static copy; nginx's workers (which drop root) must
        be able to reach it, e.g. a fresh `tempfile.mkdtemp` in /tmp
    """
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise RuntimeError("nginx is not installed (Debian: apt-get install nginx-light)")
    ports = [free_port() for _ in range(replicas)]
    cores = max(usable_cores() / replicas, 0.5)
    processes: list[subprocess.Popen] = []
    try:
        for n, replica_port in enumerate(ports, start=1):
            processes.append(start_replica(replica_port, cores, run_dir / f"replica-{n}.log"))
        for replica_port, process in zip(ports, processes, strict=True):
            wait_healthy(f"http://127.0.0.1:{replica_port}", process)
        config = run_dir / "nginx.conf"
        static = prepare_static(run_dir)
        config.write_text(nginx_config(f"{address}:{port}", ports, run_dir, static))
        command = [nginx, "-p", str(run_dir), "-c", str(config), "-g", "daemon off;"]
        with (run_dir / "nginx.log").open("w") as out:
            processes.append(subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT))
        wait_healthy(f"http://127.0.0.1:{port}", processes[-1], seconds=15)
    except BaseException:
        stop(processes)
        raise
    return processes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=usable_cores(),
                        help="Streamlit processes (default: one per core)")  # fmt: skip
    parser.add_argument("--address", default="127.0.0.1", help="where nginx listens")
    parser.add_argument("--port", type=int, default=8501)
    args = parser.parse_args()
    replicas = min(max(args.replicas, 1), MAX_REPLICAS)
    run_dir = Path(tempfile.mkdtemp(prefix="cnnviz-class-"))
    processes = serve(replicas, args.address, args.port, run_dir)
    print(f"cnnviz for a class: http://{args.address}:{args.port} "
          f"({replicas} replicas behind nginx; logs in {run_dir})", flush=True)  # fmt: skip
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(1)
        print("a server process stopped; stopping the others", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop(processes)


if __name__ == "__main__":
    raise SystemExit(main())
