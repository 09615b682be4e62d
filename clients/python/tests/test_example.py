"""The example script, run as a user would: a subprocess against the real gateway."""

from __future__ import annotations

import re
import socket
import subprocess
import sys

from support import AUTH_MODE, PACKAGE_ROOT, WAIT, make_jwt, unique

SCRIPT = PACKAGE_ROOT / "examples" / "websocket_client_example.py"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def run_script(*args: str, stdin: str = "", timeout: float = 120.0) -> subprocess.CompletedProcess:
    if AUTH_MODE == "jwt" and "--url" in args:
        args = args + ("--token", make_jwt(unique("example")))
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=str(PACKAGE_ROOT / "examples"),
    )


def test_demo_mode_walks_through_the_api_and_shows_the_events(stack):
    done = run_script("demo", "--url", stack.ws_url, "--timeout", str(WAIT))
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    created = re.findall(rf"<- token\.created ({UUID}) v1", out)
    assert len(created) == 2
    first, second = created
    assert f"<- token.data {first} type=demo" in out
    assert re.search(r"<- token\.list count=\d+ total=\d+", out)
    assert f"<- token.updated {first} v2 weight=2.5" in out
    assert re.search(r"<- graph\.connected .* connection_id=" + UUID, out)
    assert "<- graph.neighbors of " in out and ": 1 neighbor(s)" in out
    for line in (f"<= event [tokens] token.created {first} v1",
                 f"<= event [tokens] token.created {second} v1",
                 f"<= event [tokens] token.updated {first} v2",
                 f"<= event [graph] graph.connected {first} -> {second}"):
        assert line in out, line
    assert "OK all expected events received" in out and out.rstrip().endswith("OK disconnected")


def test_interactive_mode_reads_commands_from_a_pipe(stack):
    kind = unique("cli")
    commands = "\n".join([
        "ping",
        "subscribe tokens",
        f"token.create {kind} 1.5",
        f"token.create {kind} 2",
        "token.get $last",
        "graph.connect $prev $last",
        "graph.neighbors $prev outgoing",
        "token.update $last weight=4",
        f"token.count {kind}",
        "wait-events 3",
        "token.create bad -1",
        "frobnicate",
        "quit",
        "ping",  # never reached: quit ends the session
    ]) + "\n"
    done = run_script("interactive", "--url", stack.ws_url, "--timeout", str(WAIT), stdin=commands)
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    assert out.count("<- pong") == 1
    assert "<- subscribed tokens cursor=" in out
    created = re.findall(rf"<- token\.created ({UUID}) v1 type={kind}", out)
    assert len(created) == 2
    first, second = created
    assert f'<- token.data {{"token_id":"{second}"' in out
    assert re.search(rf"<- graph\.connected {UUID} {first} -> {second}", out)
    assert "<- graph.neighbors count=1" in out
    assert f"<- token.updated {second} v2" in out
    assert f'<- token.count {{"count":2,"type":"{kind}"}}' in out
    assert f"<= event [tokens] token.created {first} v1" in out
    assert f"<= event [tokens] token.updated {second} v2" in out
    assert re.search(r"OK \d+ event\(s\) shown", out)  # at least 3: foreign events may add to it
    assert "x error VALIDATION_FAILED" in out
    assert "Unknown command: frobnicate" in out
    assert out.rstrip().endswith("OK disconnected")


def test_interactive_mode_ends_at_end_of_input(stack):
    done = run_script("interactive", "--url", stack.ws_url, stdin="ping\n")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "<- pong" in done.stdout and "(end of input)" in done.stdout


def test_example_explains_when_nothing_listens(tmp_path):
    with socket.socket() as s:  # a port that is free now, so the connection is refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    done = run_script("demo", "--url", f"ws://127.0.0.1:{port}/ws", "--timeout", "5", timeout=60)
    assert done.returncode == 2
    assert "x Could not connect" in done.stdout


def test_original_import_path_still_works():
    done = subprocess.run(
        [sys.executable, "-c",
         "from websocket_client_example import NeuroGraphWebSocketClient as C; "
         "c = C('ws://localhost:8000/ws'); print(c.url, c.ws, c.connection_id, c.running)"],
        capture_output=True, text=True, timeout=60, cwd=str(PACKAGE_ROOT / "examples"),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ws://localhost:8000/ws None None False"
