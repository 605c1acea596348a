"""Two real replicas behind Debian's nginx (`scripts/serve_class.py`): a class of browsers all
get working lessons, each browser stays on one replica, and the class is spread over both.

Each simulated browser has its own cookies, loads the page and a script over HTTP, then runs a
lesson over the app's WebSocket (Streamlit's protocol, as a browser does) and trains lesson 7
one Step. nginx names the replica that answered each request (``X-Cnnviz-Replica``).
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import os
import re
import shutil
import tempfile
import urllib.request
from pathlib import Path

import pytest
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from scripts import serve_class

pytestmark = pytest.mark.e2e

BROWSERS = 12
PAGES = ("Convolution", "Train_a_CNN")
REPLICA = "X-Cnnviz-Replica"


def nginx_or_fail() -> None:
    """Under CI a missing nginx is a failure (scripts/test.sh installs it); else a skip."""
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        missing = "nginx is missing: scripts/test.sh installs Debian's nginx-light"
        if os.environ.get("CI") == "true":
            pytest.fail(missing)
        pytest.skip(missing)


@pytest.fixture(scope="module")
def class_server():
    nginx_or_fail()
    port = serve_class.free_port()
    run_dir = Path(tempfile.mkdtemp(prefix="cnnviz-class-test-"))  # nginx's workers read it
    processes = serve_class.serve(2, "127.0.0.1", port, run_dir)
    yield f"127.0.0.1:{port}", run_dir
    serve_class.stop(processes)
    shutil.rmtree(run_dir, ignore_errors=True)


def http_get(opener, url: str, **headers) -> tuple[bytes, str, str | None]:
    """Body, the replica that answered, and the content encoding."""
    request = urllib.request.Request(url, headers=headers)
    with opener.open(request, timeout=30) as response:
        return response.read(), response.headers[REPLICA], response.headers["Content-Encoding"]


async def run_page(url: str, cookie: str, page: str) -> tuple[str, list[str], str]:
    """Open ``page`` over the WebSocket, press Step on lesson 7; returns the replica that
    holds the session, the exceptions shown, and the page's text."""
    async with websockets.connect(
        url, subprotocols=["streamlit"], additional_headers={"Cookie": cookie}, max_size=None
    ) as ws:
        replica = ws.response.headers[REPLICA]
        errors, text = [], []
        await rerun(ws, page, errors, text)
        if page == "Train_a_CNN":
            step_id = next(t for t in text if t.startswith("button:") and "train_step" in t)[7:]
            await rerun(ws, page, errors, text, trigger=step_id)
        return replica, errors, "\n".join(text)


async def rerun(ws, page, errors, text, trigger: str | None = None) -> None:
    msg = BackMsg()
    msg.rerun_script.page_name = page
    if trigger:
        state = msg.rerun_script.widget_states.widgets.add()
        state.id, state.trigger_value = trigger, True
    await ws.send(msg.SerializeToString())
    while True:
        forward = ForwardMsg()
        forward.ParseFromString(await asyncio.wait_for(ws.recv(), 60))
        kind = forward.WhichOneof("type")
        if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
            element = forward.delta.new_element
            which = element.WhichOneof("type")
            if which == "exception":
                errors.append(element.exception.message)
            elif which == "markdown":
                text.append(element.markdown.body)
            elif which == "button":
                text.append(f"button:{element.button.id}")
        elif kind == "script_finished" and (
            forward.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
        ):
            return


def browser(address: str, number: int) -> dict:
    """One browser: its cookies, the replica of each HTTP request, then its WebSocket session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html, first, _ = http_get(opener, f"http://{address}/")
    script = re.search(rb'src="(\./static/js/[^"]+\.js)"', html).group(1).decode()
    url = f"http://{address}/{script.removeprefix('./')}"
    _, static, encoding = http_get(opener, url, **{"Accept-Encoding": "gzip"})
    assert (static, encoding) == ("nginx", "gzip")  # Streamlit's JavaScript from nginx, small
    _, second, _ = http_get(opener, f"http://{address}/_stcore/host-config")
    _, third, _ = http_get(opener, f"http://{address}/_stcore/health")
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    page = PAGES[number % len(PAGES)]
    replica, errors, text = asyncio.run(run_page(f"ws://{address}/_stcore/stream", cookie, page))
    return {"http": {first, second, third}, "ws": replica, "errors": errors, "text": text,
            "page": page}  # fmt: skip


def test_a_class_through_nginx_stays_on_its_replicas_and_uses_both(class_server):
    address, run_dir = class_server
    browsers = [browser(address, n) for n in range(BROWSERS)]
    for b in browsers:
        assert not b["errors"], b["errors"]
        assert b["http"] == {b["ws"]}, "every request of one browser reaches one replica"
        if b["page"] == "Train_a_CNN":
            assert "**Step 1**" in b["text"]  # its own network trained one step
        else:
            assert "Convolution" in b["text"] or "kernel" in b["text"]
    replicas = [b["ws"] for b in browsers]
    assert len(set(replicas)) == 2, "the class is spread over both replicas"
    assert min(replicas.count(r) for r in set(replicas)) >= BROWSERS // 4
    logs = "".join(p.read_text() for p in run_dir.glob("replica-*.log"))
    assert "Traceback" not in logs
