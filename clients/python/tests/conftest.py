"""pytest set-up: the package on sys.path, and one real platform per session (clients/testing/stack.mjs).

Tests drive coroutines with ``support.run`` (asyncio.run), so no pytest plugin is needed.
Set NEUROGRAPH_TEST_WS_URL / NEUROGRAPH_TEST_HTTP_URL to use a platform that is already running
instead (the tests that restart the gateway are skipped then).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PACKAGE_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import Stack  # noqa: E402


class ExternalStack(Stack):
    can_restart = False

    def __init__(self, ws_url: str, http_url: str) -> None:
        super().__init__()
        self.ws_url = ws_url
        self.http_url = http_url

    def command(self, name, timeout=240.0):
        pytest.skip("a platform given by NEUROGRAPH_TEST_WS_URL cannot be restarted from here")

    def stop(self) -> None:
        pass


@pytest.fixture(scope="session")
def stack():
    external = os.environ.get("NEUROGRAPH_TEST_WS_URL")
    if external:
        http = os.environ.get("NEUROGRAPH_TEST_HTTP_URL") or external.replace("ws", "http", 1).rsplit("/ws", 1)[0]
        yield ExternalStack(external, http)
        return
    platform = Stack()
    try:
        platform.start()
    except Exception as exc:
        platform.stop()
        pytest.fail(f"could not start the platform with clients/testing/stack.mjs: {exc}", pytrace=False)
    try:
        yield platform
    finally:
        platform.stop()
