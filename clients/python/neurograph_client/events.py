"""The bounded queue that holds subscription events until the application takes them."""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any, Deque, Optional

from .errors import EventStreamClosed

__all__ = ["EventQueue", "BLOCK", "DROP_OLDEST"]

BLOCK = "block"
DROP_OLDEST = "drop_oldest"


class EventQueue:
    """A bounded FIFO of messages with an overflow policy.

    * ``"block"``: ``put`` waits until there is room. The client's reader stops reading the socket
      meanwhile, so the server buffers (and, past its own bound, closes with 4008, after which the
      client resumes from the last cursor it queued): nothing is lost, memory stays bounded.
    * ``"drop_oldest"``: ``put`` never waits; the oldest queued message is dropped and counted in
      :attr:`dropped`.

    Not thread-safe: use it from one event loop. Asyncio primitives are created on use, so an instance
    may be made outside a running loop.
    """

    def __init__(self, maxsize: int = 1000, overflow: str = BLOCK) -> None:
        if not isinstance(maxsize, int) or maxsize < 1:
            raise ValueError("maxsize must be an integer >= 1")
        if overflow not in (BLOCK, DROP_OLDEST):
            raise ValueError(f"overflow must be {BLOCK!r} or {DROP_OLDEST!r}")
        self.maxsize = maxsize
        self.overflow = overflow
        self.dropped = 0
        self._items: Deque[Any] = deque()
        self._getters: Deque["asyncio.Future[None]"] = deque()
        self._putters: Deque["asyncio.Future[None]"] = deque()
        self._closed = False

    def __len__(self) -> int:
        return len(self._items)

    def qsize(self) -> int:
        return len(self._items)

    def empty(self) -> bool:
        return not self._items

    def full(self) -> bool:
        return len(self._items) >= self.maxsize

    @property
    def closed(self) -> bool:
        return self._closed

    @staticmethod
    def _wake(waiters: Deque["asyncio.Future[None]"]) -> None:
        while waiters:
            waiter = waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)

    async def _wait(self, waiters: Deque["asyncio.Future[None]"], timeout: Optional[float]) -> None:
        waiter = asyncio.get_running_loop().create_future()
        waiters.append(waiter)
        try:
            if timeout is None:
                await waiter
            else:
                await asyncio.wait_for(waiter, timeout)
        finally:
            try:
                waiters.remove(waiter)
            except ValueError:
                pass

    async def put(self, item: Any) -> bool:
        """Adds ``item``; returns ``False`` (and drops it) when the queue is closed."""
        while not self._closed and len(self._items) >= self.maxsize:
            if self.overflow == DROP_OLDEST:
                self._items.popleft()
                self.dropped += 1
                break
            await self._wait(self._putters, None)
        if self._closed:
            return False
        self._items.append(item)
        self._wake(self._getters)
        return True

    def put_nowait(self, item: Any) -> bool:
        """Adds ``item`` if there is room (or by dropping the oldest); ``False`` if it was not added."""
        if self._closed:
            return False
        if len(self._items) >= self.maxsize:
            if self.overflow != DROP_OLDEST:
                return False
            self._items.popleft()
            self.dropped += 1
        self._items.append(item)
        self._wake(self._getters)
        return True

    async def get(self, timeout: Optional[float] = None) -> Any:
        """The next item. Raises :class:`asyncio.TimeoutError` after ``timeout`` seconds, and
        :class:`EventStreamClosed` once the queue is closed and empty."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while not self._items:
            if self._closed:
                raise EventStreamClosed("the client is closed and no event is left")
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                raise asyncio.TimeoutError()
            await self._wait(self._getters, remaining)
        item = self._items.popleft()
        self._wake(self._putters)
        return item

    def get_nowait(self) -> Any:
        """The next item; raises :class:`asyncio.QueueEmpty` when there is none."""
        if not self._items:
            if self._closed:
                raise EventStreamClosed("the client is closed and no event is left")
            raise asyncio.QueueEmpty()
        item = self._items.popleft()
        self._wake(self._putters)
        return item

    def close(self) -> None:
        """No more items are accepted; waiting getters get what is left, then ``EventStreamClosed``."""
        self._closed = True
        self._wake(self._getters)
        self._wake(self._putters)

    def reopen(self) -> None:
        self._closed = False

    def clear(self) -> None:
        self._items.clear()
        self._wake(self._putters)
