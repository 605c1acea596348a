"""A newcomer's first start: the README's run command just starts, in a terminal on a desktop.

Streamlit asks for an e-mail address on its first run on a desktop (a terminal, a display, no
~/.streamlit yet) and the server is not up until someone presses Enter. The project's config
must make the README command start without any key press.
"""

from __future__ import annotations

import contextlib
import os
import pty
import socket
import subprocess
import sys
import time
import urllib.request

from tests.app.conftest import ROOT


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_run_command_starts_without_a_prompt_on_a_fresh_desktop(tmp_path):
    port = _free_port()
    env = {**os.environ, "HOME": str(tmp_path), "DISPLAY": ":99"}
    env.pop("CI", None)
    primary, secondary = pty.openpty()  # a real terminal, as a newcomer has
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdin=secondary, stdout=secondary, stderr=secondary
    )
    os.close(secondary)
    output = b""
    try:
        healthy, deadline = False, time.monotonic() + 60
        while time.monotonic() < deadline and not healthy and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                    healthy = True
            except OSError:
                time.sleep(0.3)
        os.set_blocking(primary, False)
        until = time.monotonic() + 3  # an outside lookup would print within its 2 s timeouts
        while time.monotonic() < until:
            with contextlib.suppress(OSError):
                output += os.read(primary, 65536)
            time.sleep(0.1)
        text = output.decode(errors="replace")
        assert healthy, f"the server never answered without a key press:\n{text}"
        assert "Email" not in text and "usage statistics" not in text, text
        assert "external IP" not in text and "External URL" not in text, "no outside lookups"
        assert not (tmp_path / ".streamlit" / "credentials.toml").exists()
    finally:
        server.terminate()
        server.wait(timeout=15)
        os.close(primary)
