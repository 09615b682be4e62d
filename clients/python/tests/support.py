"""Test support: the shared platform harness, a fault-injecting TCP relay, small waiting helpers.

Nothing here imitates the gateway: integration tests talk to the real one that
clients/testing/stack.mjs starts. The relay only forwards bytes to it, and can stop doing so on demand
(to cut, freeze or refuse connections deterministically).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import queue
import secrets
import subprocess
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set

HERE = Path(__file__).resolve().parent
PACKAGE_ROOT = HERE.parent
REPO_ROOT = PACKAGE_ROOT.parent.parent
STACK_SCRIPT = REPO_ROOT / "clients" / "testing" / "stack.mjs"

#: generous, for a noisy 2-core machine
WAIT = float(os.environ.get("NEUROGRAPH_TEST_WAIT", "30"))
STACK_START_TIMEOUT = float(os.environ.get("NEUROGRAPH_STACK_TIMEOUT", "420"))


# Authentication of the platform the tests use. The harness is started with the gateway in auth mode
# jwt (HS256, a secret made for this session), so every test client connects with a token and the
# token handling is exercised for real. NEUROGRAPH_TEST_AUTH=none runs the suite against mode none.
# With NEUROGRAPH_TEST_WS_URL (an already running platform) the default is none; for one in mode jwt set
# NEUROGRAPH_TEST_AUTH=jwt and NEUROGRAPH_TEST_JWT_SECRET.
AUTH_MODE = os.environ.get("NEUROGRAPH_TEST_AUTH") or ("none" if os.environ.get("NEUROGRAPH_TEST_WS_URL") else "jwt")
JWT_SECRET = os.environ.get("NEUROGRAPH_TEST_JWT_SECRET") or secrets.token_hex(32)
ALL_SCOPES = "tokens:read tokens:write graph:read graph:write"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_jwt(subject: str, scope: str = ALL_SCOPES, ttl: float = 3600.0, secret: str = JWT_SECRET) -> str:
    """An HS256 JWT as the gateway expects it (``sub``, ``exp``, ``scope``), made with the stdlib."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = {"sub": subject, "iat": int(time.time()), "exp": int(time.time() + ttl), "scope": scope}
    body = _b64(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{_b64(signature)}"


def auth_options(subject: Optional[str] = None) -> Dict[str, Any]:
    """Client options that authenticate with every scope on this platform (none in mode none)."""
    if AUTH_MODE != "jwt":
        return {}
    return {"token": make_jwt(subject or unique("sub"))}


def unique(prefix: str = "py") -> str:
    """A token/edge type no other test uses (1..50 characters)."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def run(coro: Awaitable[Any], timeout: float = 240.0) -> Any:
    """Runs one test coroutine on a fresh event loop, with an overall cap."""
    return asyncio.run(asyncio.wait_for(coro, timeout))


async def wait_until(predicate: Callable[[], bool], timeout: float = WAIT, what: str = "condition") -> None:
    """Polls ``predicate`` (cheap, in-process state) until it is true."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(0.02)


class Stack:
    """``node clients/testing/stack.mjs`` as a child process: one platform for the whole session."""

    can_restart = True

    def __init__(self) -> None:
        self.proc: Optional[subprocess.Popen] = None
        self.ws_url = ""
        self.http_url = ""
        self.logs_dir = ""
        self._lines: "queue.Queue[Optional[str]]" = queue.Queue()
        self._lock = threading.Lock()

    def start(self) -> "Stack":
        if not STACK_SCRIPT.exists():
            raise RuntimeError(f"{STACK_SCRIPT} is missing")
        env = dict(os.environ)
        if AUTH_MODE == "jwt":  # stack.mjs hands its environment on to the services
            env.update(NEUROGRAPH_AUTH_MODE="jwt", NEUROGRAPH_AUTH_JWT_SECRET=JWT_SECRET)
        else:
            env.update(NEUROGRAPH_AUTH_MODE="none")
        self.proc = subprocess.Popen(
            ["node", str(STACK_SCRIPT)],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None if os.environ.get("NEUROGRAPH_STACK_VERBOSE") else subprocess.DEVNULL,
            text=True,
            bufsize=1,
        )
        threading.Thread(target=self._pump, daemon=True).start()
        first = self._next_line(STACK_START_TIMEOUT, "the platform to start")
        info = json.loads(first)
        self.ws_url = info["ws_url"]
        self.http_url = info["http_url"]
        self.logs_dir = info.get("logs_dir", "")
        return self

    def _pump(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        for line in self.proc.stdout:
            line = line.strip()
            if line:
                self._lines.put(line)
        self._lines.put(None)

    def _next_line(self, timeout: float, what: str) -> str:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise RuntimeError(f"stack.mjs: nothing within {timeout:g} s while waiting for {what}") from None
        if line is None:
            code = self.proc.poll() if self.proc else None
            raise RuntimeError(f"stack.mjs ended (exit {code}) while waiting for {what}; "
                               "run with NEUROGRAPH_STACK_VERBOSE=1 to see its log")
        return line

    def command(self, name: str, timeout: float = 240.0) -> Dict[str, Any]:
        """Blocking: sends a harness command and waits for its ``{"ok": ...}`` answer."""
        with self._lock:
            assert self.proc is not None and self.proc.stdin is not None
            self.proc.stdin.write(name + "\n")
            self.proc.stdin.flush()
            answer = json.loads(self._next_line(timeout, name))
        if not answer.get("ok"):
            raise RuntimeError(f"stack.mjs {name} failed: {answer}")
        return answer

    async def restart_gateway(self) -> None:
        """kill -9 the gateway and start it again on the same port; returns once it is ready."""
        await asyncio.get_running_loop().run_in_executor(None, self.command, "restart-gateway")

    def stop(self) -> None:
        if self.proc is None:
            return
        try:
            if self.proc.stdin:
                self.proc.stdin.close()
            self.proc.wait(timeout=120)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    # HTTP admin API of the gateway (mode none: open)

    @staticmethod
    def _admin_headers() -> Dict[str, str]:
        if AUTH_MODE != "jwt":
            return {}
        return {"Authorization": "Bearer " + make_jwt("py-tests-admin", "admin")}

    def get_json(self, path: str) -> Any:
        request = urllib.request.Request(self.http_url + path, headers=self._admin_headers())
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            return json.loads(response.read())

    def publish(self, topic: str, body: Dict[str, Any]) -> int:
        request = urllib.request.Request(
            f"{self.http_url}/ws/publish/{topic}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", **self._admin_headers()},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            return response.status


class _Link:
    def __init__(self, down_writer: asyncio.StreamWriter, up_writer: asyncio.StreamWriter) -> None:
        self.down_writer = down_writer  # towards the client
        self.up_writer = up_writer  # towards the gateway
        self.forward_up = True
        self.forward_down = True

    def abort(self) -> None:
        for writer in (self.down_writer, self.up_writer):
            writer.transport.abort()


class Relay:
    """A TCP relay in front of the real gateway, run on the test's event loop.

    ``accepting = False`` refuses new connections (accepted and closed at once); ``cut()`` drops the
    current ones; ``freeze()`` stops forwarding on them in both directions without closing them;
    ``mute_downstream()`` stops only gateway-to-client bytes.
    """

    def __init__(self, ws_url: str) -> None:
        hostport = ws_url.split("://", 1)[1].split("/", 1)[0]
        host, port = hostport.rsplit(":", 1)
        self.target = (host, int(port))
        self.accepting = True
        self.links: Set[_Link] = set()
        self.accepted = 0
        self._server: Optional[asyncio.AbstractServer] = None
        self.port = 0

    async def __aenter__(self) -> "Relay":
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: Any) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    def cut(self) -> None:
        for link in list(self.links):
            link.abort()
        self.links.clear()

    def freeze(self) -> None:
        for link in self.links:
            link.forward_up = link.forward_down = False

    def mute_downstream(self) -> None:
        for link in self.links:
            link.forward_down = False

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.accepting:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self.accepted += 1
        link = _Link(writer, up_writer)
        self.links.add(link)
        try:
            await asyncio.gather(
                self._pump(reader, up_writer, link, "up"),
                self._pump(up_reader, writer, link, "down"),
            )
        finally:
            self.links.discard(link)
            link.abort()

    @staticmethod
    async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, link: _Link, way: str) -> None:
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                if (link.forward_up if way == "up" else link.forward_down):
                    writer.write(data)
                    await writer.drain()
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            link.abort()


class Recorder:
    """Collects a client's lifecycle notifications."""

    def __init__(self, client: Any, names: List[str]) -> None:
        self.seen: List[tuple] = []
        for name in names:
            client.on(name, lambda info, name=name: self.seen.append((name, info)))

    def count(self, name: str) -> int:
        return sum(1 for seen_name, _ in self.seen if seen_name == name)

    def infos(self, name: str) -> List[Any]:
        return [info for seen_name, info in self.seen if seen_name == name]
