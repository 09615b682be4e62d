"""asyncio client for the NeuroGraph WebSocket protocol v1 (docs/protocol.md of the platform).

The class keeps the shape of the original NeuroGraph OS example client (``NeuroGraphWebSocketClient``
with ``connect()``, ``disconnect()``, ``send(message_type, payload)``, ``url``, ``ws``,
``connection_id``, ``running`` and the overridable ``_handle_message(message)``) and adds awaitable
request helpers, reconnection with resume, idempotent re-sending, a heartbeat and bounded queues.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import json
import logging
import re
import time
import uuid
from collections import OrderedDict, deque
from typing import (
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Deque,
    Dict,
    List,
    Mapping,
    Optional,
    Sequence,
    Set,
    Tuple,
    Union,
)
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from . import _ws
from .backoff import backoff_delay
from .errors import (
    ConnectionLostError,
    EventStreamClosed,
    ForbiddenError,
    HandshakeRejectedError,
    NotConnectedError,
    ProtocolError,
    QueueFullError,
    ReconnectFailedError,
    RequestTimeoutError,
    ServerError,
    UnavailableError,
    UnexpectedReplyError,
    UnknownTopicError,
)
from .events import BLOCK, EventQueue

__all__ = ["NeuroGraphWebSocketClient", "DEFAULT_URL", "State"]

log = logging.getLogger("neurograph_client")

DEFAULT_URL = "ws://localhost:8000/ws"
#: How many recent (topic, event_id) pairs a client remembers to drop a repeated event.
DEDUPE_WINDOW = 1000
_CLIENT_ID = re.compile(r"^[A-Za-z0-9._:@-]{1,128}$")
_DEFAULT: Any = object()

Handler = Callable[[Any], Union[None, Awaitable[None]]]
TokenProvider = Callable[[], Union[Optional[str], Awaitable[Optional[str]]]]
Vector = Sequence[float]
Box = Union[Mapping[str, float], Sequence[float]]


class State:
    """Values of :attr:`NeuroGraphWebSocketClient.state`."""

    IDLE = "idle"  # never connected
    CONNECTING = "connecting"  # connect() in progress
    CONNECTED = "connected"  # open and set up: requests are written as they come
    RECONNECTING = "reconnecting"  # connection lost; requests wait in the send queue
    CLOSED = "closed"  # disconnect() was called, or reconnecting gave up


# The reply types each request helper accepts (an ``error`` reply raises instead).
EXPECTED_REPLIES: Dict[str, Tuple[str, ...]] = {
    "ping": ("pong",),
    "subscribe": ("subscribed",),
    "unsubscribe": ("unsubscribed",),
    "auth": ("authenticated",),
    "token.create": ("token.created",),
    "token.get": ("token.data", "token.not_found"),
    "token.list": ("token.list",),
    "token.update": ("token.updated",),
    "token.delete": ("token.deleted",),
    "token.count": ("token.count",),
    "token.search": ("token.search",),
    "graph.connect": ("graph.connected",),
    "graph.neighbors": ("graph.neighbors",),
    "graph.disconnect": ("graph.disconnected",),
    "graph.path": ("graph.path",),
    "graph.degree": ("graph.degree",),
    "graph.stats": ("graph.stats",),
}

# Lifecycle notifications for on(); none of them is a protocol message type.
LIFECYCLE_EVENTS = (
    "connected",
    "reconnected",
    "disconnected",
    "reconnecting",
    "reconnect_failed",
    "resubscribed",
    "subscription_lost",
    "closed",
)


def normalize_topic(topic: str) -> str:
    """The topic as the server echoes it: the id of ``token:<id>`` in lower case."""
    if topic.startswith("token:"):
        return "token:" + topic[len("token:"):].lower()
    return topic


def _box(value: Box) -> Dict[str, float]:
    if isinstance(value, Mapping):
        return {"x": value["x"], "y": value["y"], "z": value["z"]}
    x, y, z = value
    return {"x": x, "y": y, "z": z}


def _fields(**fields: Any) -> Dict[str, Any]:
    """The given fields without those left at ``None``; lists/tuples become lists."""
    out: Dict[str, Any] = {}
    for key, value in fields.items():
        if value is None:
            continue
        if isinstance(value, tuple):
            value = list(value)
        out[key] = value
    return out


class _Outgoing:
    """One message on its way out: a request (with ``future``) or a fire-and-forget frame."""

    __slots__ = ("seq", "id", "type", "frame", "future", "resend", "internal", "sent", "written")

    def __init__(self, seq: int, message_id: str, message_type: str, frame: str) -> None:
        self.seq = seq
        self.id = message_id
        self.type = message_type
        self.frame = frame
        self.future: Optional[asyncio.Future] = None
        self.resend = True
        self.internal = False
        self.sent = False
        self.written: Optional[asyncio.Future] = None


class NeuroGraphWebSocketClient:
    """Client of the NeuroGraph WebSocket gateway.

    Compatible with the original example client: ``NeuroGraphWebSocketClient(url)``, ``await
    connect()``, ``await send(message_type, payload)``, ``await disconnect()``, the attributes ``url``,
    ``ws``, ``connection_id`` and ``running``, and ``_handle_message(message)``, called with every
    message received (override it, or register handlers with :meth:`on`).

    Every keyword argument is optional; see the README for what each one does. In short:

    * ``client_id``: stable id of this client (query parameter ``client_id``); the idempotency scope
      of request ids. Default: taken from ``url`` if it has one, else ``py-`` + 12 random hex digits.
    * ``token`` / ``token_provider`` / ``token_via``: a JWT, or a callable returning one for each
      (re)connect; sent as ``access_token`` query parameter (``"query"``, default), ``Authorization``
      header (``"header"``), ``auth`` frame (``"auth"``) or both query and frame (``"both"``).
    * ``request_timeout`` (30 s): default timeout of the request helpers; ``None`` waits forever.
    * ``auto_reconnect`` (True), ``max_reconnect_attempts`` (10; ``None`` = unlimited),
      ``reconnect_delay`` (0.5 s), ``max_reconnect_delay`` (30 s), ``reconnect_jitter`` (0.5).
    * ``heartbeat_interval`` (15 s; ``None``/0 = off), ``heartbeat_timeout`` (10 s).
    * ``max_event_queue`` (1000), ``event_overflow`` (``"block"`` or ``"drop_oldest"``).
    * ``max_send_queue`` (1000): messages waiting to be written (while reconnecting, or beyond
      ``max_in_flight``); a further one raises :class:`QueueFullError`.
    * ``max_in_flight`` (64): requests awaiting a reply at once (the gateway allows 100).
    * ``resend_on_reconnect`` (True): re-send unanswered requests, same id, after a reconnect.
    """

    def __init__(
        self,
        url: str = DEFAULT_URL,
        *,
        client_id: Optional[str] = None,
        token: Optional[str] = None,
        token_provider: Optional[TokenProvider] = None,
        token_via: str = "query",
        headers: Optional[Mapping[str, str]] = None,
        request_timeout: Optional[float] = 30.0,
        connect_timeout: float = 10.0,
        close_timeout: float = 5.0,
        auto_reconnect: bool = True,
        max_reconnect_attempts: Optional[int] = 10,
        reconnect_delay: float = 0.5,
        max_reconnect_delay: float = 30.0,
        reconnect_jitter: float = 0.5,
        heartbeat_interval: Optional[float] = 15.0,
        heartbeat_timeout: float = 10.0,
        max_event_queue: int = 1000,
        event_overflow: str = BLOCK,
        max_send_queue: int = 1000,
        max_in_flight: int = 64,
        resend_on_reconnect: bool = True,
    ) -> None:
        if token_via not in ("query", "header", "auth", "both"):
            raise ValueError("token_via must be 'query', 'header', 'auth' or 'both'")
        if max_send_queue < 1 or max_in_flight < 1:
            raise ValueError("max_send_queue and max_in_flight must be >= 1")
        if max_reconnect_attempts is not None and max_reconnect_attempts < 0:
            raise ValueError("max_reconnect_attempts must be >= 0 or None")
        backoff_delay(1, reconnect_delay, max_reconnect_delay, reconnect_jitter)  # validates them

        parts = urlsplit(url)
        if parts.scheme not in ("ws", "wss"):
            raise ValueError(f"not a ws:// or wss:// URL: {url!r}")
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
        url_client_id = next((v for k, v in query if k == "client_id"), None)
        client_id = client_id or url_client_id or f"py-{uuid.uuid4().hex[:12]}"
        if not _CLIENT_ID.match(client_id):
            raise ValueError("client_id must be 1..128 characters of A-Z a-z 0-9 . _ : @ -")

        # The original client's public attributes.
        self.url = url
        self.ws: Any = None
        self.connection_id: Optional[str] = None
        self.running = False

        self.client_id = client_id
        self.token = token
        self.token_provider = token_provider
        self.token_via = token_via
        self.headers = dict(headers or {})
        self.request_timeout = request_timeout
        self.connect_timeout = connect_timeout
        self.close_timeout = close_timeout
        self.auto_reconnect = auto_reconnect
        self.max_reconnect_attempts = max_reconnect_attempts
        self.reconnect_delay = reconnect_delay
        self.max_reconnect_delay = max_reconnect_delay
        self.reconnect_jitter = reconnect_jitter
        self.heartbeat_interval = heartbeat_interval
        self.heartbeat_timeout = heartbeat_timeout
        self.max_send_queue = max_send_queue
        self.max_in_flight = max_in_flight
        self.resend_on_reconnect = resend_on_reconnect

        #: payload of the last ``connection.established``
        self.connection_info: Optional[Dict[str, Any]] = None
        #: payload of the last ``authenticated`` reply
        self.auth_info: Optional[Dict[str, Any]] = None
        #: successful reconnections so far
        self.reconnects = 0
        #: (code, reason) of the last connection that closed
        self.last_close: Optional[Tuple[int, str]] = None
        #: heartbeats not checked because the reader was paused by a full event queue
        self.heartbeats_skipped = 0
        #: the last error that made a connection attempt (or its set-up) fail
        self.last_error: Optional[BaseException] = None

        self._base_query = [(k, v) for k, v in query if k not in ("client_id", "access_token")]
        self._parts = parts
        self._state = State.IDLE
        self._session = uuid.uuid4().hex[:12]
        self._seq = itertools.count(1)
        self._pending: Dict[str, _Outgoing] = {}
        self._unsent: Deque[_Outgoing] = deque()
        self._inflight: Set[str] = set()
        self._sub_requests: Dict[str, bool] = {}  # id of a subscribe request -> internal?
        self._subs: Dict[str, Optional[str]] = {}  # topic -> cursor of the last event queued
        self._seen_events: "OrderedDict[Tuple[str, str], None]" = OrderedDict()
        self.duplicates_dropped = 0
        self._handlers: Dict[str, List[Handler]] = {}
        self._events = EventQueue(max_event_queue, event_overflow)
        self._conn_tasks: List[asyncio.Task] = []
        self._bg_tasks: Set[asyncio.Task] = set()
        self._supervisor: Optional[asyncio.Task] = None
        self._state_waiters: List[asyncio.Future] = []
        self._closing = False
        self._attempt = 0
        self._final_error: Optional[BaseException] = None
        self._reader_blocked = False
        self._reader_stalls = 0
        self._drop_reason: Optional[str] = None
        # asyncio primitives are made in connect(), inside the running loop.
        self._wake: Optional[asyncio.Event] = None
        self._closing_event: Optional[asyncio.Event] = None
        self._write_lock: Optional[asyncio.Lock] = None

    # ------------------------------------------------------------------ properties

    @property
    def state(self) -> str:
        """One of :class:`State`."""
        return self._state

    @property
    def connected(self) -> bool:
        return self._state == State.CONNECTED

    @property
    def subscriptions(self) -> Dict[str, Optional[str]]:
        """Topics this client is subscribed to, each with the cursor of its last queued event (or of
        the ``subscribed`` reply): the position a resume starts after."""
        return dict(self._subs)

    @property
    def pending_requests(self) -> int:
        """Requests awaiting a reply (sent or still queued)."""
        return len(self._pending)

    @property
    def in_flight_requests(self) -> int:
        """Requests written on the current connection and not answered yet (at most ``max_in_flight``)."""
        return len(self._inflight)

    @property
    def queued_messages(self) -> int:
        """Messages in the send queue, not written yet."""
        return len(self._unsent)

    @property
    def event_queue(self) -> EventQueue:
        return self._events

    @property
    def reading_paused(self) -> bool:
        """True while the reader waits for room in the full event queue (``event_overflow="block"``)."""
        return self._reader_blocked

    @property
    def dropped_events(self) -> int:
        """Events dropped by ``event_overflow="drop_oldest"``."""
        return self._events.dropped

    # ------------------------------------------------------------------ connection

    async def __aenter__(self) -> "NeuroGraphWebSocketClient":
        await self.connect()
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.disconnect()

    async def connect(self) -> Dict[str, Any]:
        """Opens the connection and waits for ``connection.established`` (and, with
        ``token_via="auth"``/``"both"``, for ``authenticated``). Returns the ``connection.established``
        payload. Raises what the first attempt raised (:class:`HandshakeRejectedError`, ``OSError``,
        ``TimeoutError`` ...): only a connection that was up is re-established automatically."""
        if self._state in (State.CONNECTING, State.CONNECTED, State.RECONNECTING):
            raise RuntimeError("already connected")
        self._wake = asyncio.Event()
        self._closing_event = asyncio.Event()
        self._write_lock = asyncio.Lock()
        self._closing = False
        self._final_error = None
        self._attempt = 0
        self._events.reopen()
        self._set_state(State.CONNECTING)
        try:
            ws, established, token = await self._open()
        except BaseException:
            self._set_state(State.CLOSED)
            raise
        self._attach(ws, established)
        self.running = True
        self._supervisor = asyncio.create_task(self._supervise(ws))
        await self._dispatch(established)
        try:
            await self._setup(ws, token, initial=True)
        except BaseException:
            await self.disconnect()
            raise
        return established.get("payload") or {}

    async def disconnect(self) -> None:
        """Closes the connection and stops reconnecting. Requests still waiting fail with
        :class:`NotConnectedError`; events already queued can still be taken."""
        if self._state == State.IDLE:
            return
        self._closing = True
        if self._closing_event is not None:
            self._closing_event.set()
        self._events.close()  # releases a reader waiting for room in the queue
        ws = self.ws
        if ws is not None:
            try:
                await asyncio.wait_for(ws.close(), self.close_timeout + 1.0)
            except Exception:
                _ws.abort(ws)
        supervisor = self._supervisor
        if supervisor is not None and supervisor is not asyncio.current_task():
            try:
                await asyncio.wait_for(asyncio.shield(supervisor), self.close_timeout + 1.0)
            except Exception:
                supervisor.cancel()
                await asyncio.gather(supervisor, return_exceptions=True)
        self._finish(NotConnectedError("client disconnected"), forget_subscriptions=True)

    async def wait_for_state(self, *states: str, timeout: Optional[float] = None) -> str:
        """Waits until :attr:`state` is one of ``states``; returns it."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while self._state not in states:
            waiter = loop.create_future()
            self._state_waiters.append(waiter)
            remaining = None if deadline is None else max(0.0, deadline - loop.time())
            try:
                await asyncio.wait_for(waiter, remaining)
            finally:
                if waiter in self._state_waiters:
                    self._state_waiters.remove(waiter)
        return self._state

    async def wait_connected(self, timeout: Optional[float] = None) -> None:
        """Waits until the client is connected and set up; raises :class:`NotConnectedError` if it
        closes instead."""
        state = await self.wait_for_state(State.CONNECTED, State.CLOSED, timeout=timeout)
        if state == State.CLOSED:
            raise NotConnectedError("the client is closed")

    # ------------------------------------------------------------------ handlers

    def on(self, event: str, handler: Handler) -> None:
        """Calls ``handler(message)`` for every received message of type ``event`` (``"*"``: every
        message), or ``handler(info)`` for a lifecycle event: ``connected``, ``reconnected``,
        ``disconnected``, ``reconnecting``, ``reconnect_failed``, ``resubscribed``,
        ``subscription_lost``, ``closed``. A coroutine function is run as a task. Handlers run in the
        reader: a plain handler must not block."""
        self._handlers.setdefault(event, []).append(handler)

    def off(self, event: str, handler: Optional[Handler] = None) -> None:
        """Removes ``handler`` (or every handler) of ``event``."""
        if handler is None:
            self._handlers.pop(event, None)
            return
        handlers = self._handlers.get(event, [])
        if handler in handlers:
            handlers.remove(handler)

    async def _handle_message(self, message: Dict[str, Any]) -> None:
        """Called with every message received, after the client has matched replies and queued
        events. The default calls the handlers registered with :meth:`on`; override it as with the
        original client (the client's own bookkeeping does not depend on it)."""
        self._call_handlers(message.get("type"), message)
        self._call_handlers("*", message)

    # ------------------------------------------------------------------ sending

    async def send(
        self, message_type: str, payload: Optional[Dict[str, Any]] = None, *, id: Optional[str] = None
    ) -> str:
        """Sends one message without waiting for its reply (which still reaches ``_handle_message``
        and the handlers). Returns the message id. When connected it returns once the frame is
        written; while reconnecting it is queued (bounded: :class:`QueueFullError`) and sent after the
        reconnect. Raises :class:`NotConnectedError` (a ``RuntimeError``) when not connected."""
        self._check_usable()
        item = self._new_item(message_type, payload, id)
        if self._state == State.CONNECTED:
            item.written = asyncio.get_running_loop().create_future()
        self._enqueue(item)
        if item.written is not None:
            await item.written
        return item.id

    async def request(
        self,
        message_type: str,
        payload: Optional[Dict[str, Any]] = None,
        *,
        timeout: Optional[float] = _DEFAULT,
        id: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Sends a request and returns its reply (the whole message), matched by ``correlation_id``.

        An ``error`` reply raises the :class:`ServerError` subclass of its code. No reply within
        ``timeout`` (default ``request_timeout``) raises :class:`RequestTimeoutError`. A request
        unanswered when the connection drops is sent again after the reconnect with the same id,
        which the server treats as the same command (protocol §6). ``id`` lets you choose that
        idempotency key yourself (unique per ``client_id``)."""
        self._check_usable()
        if timeout is _DEFAULT:
            timeout = self.request_timeout
        item = self._new_item(message_type, payload, id)
        if item.id in self._pending:
            raise ValueError(f"a request with id {item.id!r} is already waiting for its reply")
        item.future = asyncio.get_running_loop().create_future()
        item.resend = self.resend_on_reconnect
        self._enqueue(item)
        self._pending[item.id] = item
        if message_type == "subscribe":
            self._sub_requests[item.id] = False
        try:
            if timeout is None:
                return await item.future
            return await asyncio.wait_for(item.future, timeout)
        except asyncio.TimeoutError:
            if item.future.cancelled():
                raise RequestTimeoutError(message_type, item.id, timeout) from None
            raise
        finally:
            self._forget(item)

    async def _call(
        self,
        message_type: str,
        payload: Dict[str, Any],
        timeout: Optional[float] = _DEFAULT,
        id: Optional[str] = None,
    ) -> Dict[str, Any]:
        reply = await self.request(message_type, payload, timeout=timeout, id=id)
        if reply.get("type") not in EXPECTED_REPLIES.get(message_type, ()):
            raise UnexpectedReplyError(message_type, reply)
        body = reply.get("payload")
        return body if isinstance(body, dict) else {}

    # ------------------------------------------------------------------ request helpers: system

    async def ping(self, *, timeout: Optional[float] = _DEFAULT) -> Dict[str, Any]:
        """``ping`` → ``pong`` payload ``{message_id}``."""
        return await self._call("ping", {}, timeout)

    async def subscribe(
        self, topic: str, since: Optional[str] = None, *, timeout: Optional[float] = _DEFAULT
    ) -> Dict[str, Any]:
        """``subscribe {topic, since?}`` → ``subscribed`` payload ``{topic, success, cursor,
        resumed?}``. Events of the topic then arrive through :meth:`next_event` / :meth:`events`,
        and the client resumes the topic from its last cursor after every reconnect."""
        return await self._call("subscribe", _fields(topic=topic, since=since), timeout)

    async def unsubscribe(self, topic: str, *, timeout: Optional[float] = _DEFAULT) -> Dict[str, Any]:
        """``unsubscribe {topic}`` → ``unsubscribed`` payload; the topic is no longer resumed."""
        self._subs.pop(normalize_topic(topic), None)
        self._subs.pop(topic, None)
        return await self._call("unsubscribe", {"topic": topic}, timeout)

    async def auth(self, token: str, *, timeout: Optional[float] = _DEFAULT) -> Dict[str, Any]:
        """``auth {token}`` → ``authenticated`` payload ``{subject, expires_at}``."""
        body = await self._call("auth", {"token": token}, timeout)
        self.auth_info = body
        return body

    async def refresh_token(
        self, token: str, *, timeout: Optional[float] = _DEFAULT
    ) -> Optional[Dict[str, Any]]:
        """Sends ``token`` in an ``auth`` frame (refresh in band, protocol §1: the subscriptions stay)
        and, once the server accepted it, keeps it for every later (re)connect; returns the
        ``authenticated`` payload. A refused token raises (``UnauthenticatedError``) and changes
        nothing. When the client is not open the token is just stored (returns ``None``)."""
        if self._state in (State.IDLE, State.CLOSED):
            self.token = token
            return None
        body = await self.auth(token, timeout=timeout)
        self.token = token
        return body

    # ------------------------------------------------------------------ request helpers: tokens

    async def token_create(
        self,
        *,
        type: Optional[str] = None,
        coord_x: Optional[Vector] = None,
        coord_y: Optional[Vector] = None,
        coord_z: Optional[Vector] = None,
        flags: Optional[int] = None,
        weight: Optional[float] = None,
        metadata: Optional[Dict[str, Any]] = None,
        token_id: Optional[str] = None,
        id: Optional[str] = None,
        timeout: Optional[float] = _DEFAULT,
    ) -> Dict[str, Any]:
        """``token.create`` → the full token (``token.created``)."""
        payload = _fields(
            token_id=token_id, type=type, coord_x=coord_x, coord_y=coord_y, coord_z=coord_z,
            flags=flags, weight=weight, metadata=metadata,
        )
        return await self._call("token.create", payload, timeout, id)

    async def token_get(
        self, token_id: str, *, timeout: Optional[float] = _DEFAULT
    ) -> Optional[Dict[str, Any]]:
        """``token.get`` → the ``token.data`` payload, or ``None`` for ``token.not_found``."""
        reply = await self.request("token.get", {"token_id": token_id}, timeout=timeout)
        if reply.get("type") == "token.not_found":
            return None
        if reply.get("type") != "token.data":
            raise UnexpectedReplyError("token.get", reply)
        return reply.get("payload") or {}

    async def token_list(
        self,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        type: Optional[str] = None,
        *,
        timeout: Optional[float] = _DEFAULT,
    ) -> Dict[str, Any]:
        """``token.list`` → ``{tokens, count, offset, total}``."""
        return await self._call("token.list", _fields(limit=limit, offset=offset, type=type), timeout)

    async def token_update(
        self,
        token_id: str,
        *,
        type: Optional[str] = None,
        weight: Optional[float] = None,
        flags: Optional[int] = None,
        metadata: Optional[Dict[str, Any]] = None,
        coord_x: Optional[Vector] = None,
        coord_y: Optional[Vector] = None,
        coord_z: Optional[Vector] = None,
        expected_version: Optional[int] = None,
        id: Optional[str] = None,
        timeout: Optional[float] = _DEFAULT,
    ) -> Dict[str, Any]:
        """``token.update`` → the full token (``token.updated``)."""
        payload = _fields(
            token_id=token_id, type=type, weight=weight, flags=flags, metadata=metadata,
            coord_x=coord_x, coord_y=coord_y, coord_z=coord_z, expected_version=expected_version,
        )
        return await self._call("token.update", payload, timeout, id)

    async def token_delete(
        self, token_id: str, *, id: Optional[str] = None, timeout: Optional[float] = _DEFAULT
    ) -> Dict[str, Any]:
        """``token.delete`` → ``{token_id}`` (``token.deleted``)."""
        return await self._call("token.delete", {"token_id": token_id}, timeout, id)

    async def token_count(
        self, type: Optional[str] = None, *, timeout: Optional[float] = _DEFAULT
    ) -> Dict[str, Any]:
        """``token.count`` → ``{count, type}``."""
        return await self._call("token.count", _fields(type=type), timeout)

    async def token_search(
        self,
        level: int,
        min: Box,
        max: Box,
        limit: Optional[int] = None,
        *,
        timeout: Optional[float] = _DEFAULT,
    ) -> Dict[str, Any]:
        """``token.search`` → ``{tokens, count}``: tokens whose coordinates in space L(level+1) lie in
        the box. ``min``/``max`` are ``{"x", "y", "z"}`` mappings or ``(x, y, z)`` triples."""
        payload = _fields(level=level, min=_box(min), max=_box(max), limit=limit)
        return await self._call("token.search", payload, timeout)

    # ------------------------------------------------------------------ request helpers: graph

    async def graph_connect(
        self,
        source_id: str,
        target_id: str,
        *,
        type: Optional[str] = None,
        weight: Optional[float] = None,
        bidirectional: Optional[bool] = None,
        decay_rate: Optional[float] = None,
        metadata: Optional[Dict[str, Any]] = None,
        id: Optional[str] = None,
        timeout: Optional[float] = _DEFAULT,
    ) -> Dict[str, Any]:
        """``graph.connect`` → the full edge (``graph.connected``)."""
        payload = _fields(
            source_id=source_id, target_id=target_id, type=type, weight=weight,
            bidirectional=bidirectional, decay_rate=decay_rate, metadata=metadata,
        )
        return await self._call("graph.connect", payload, timeout, id)

    async def graph_neighbors(
        self,
        token_id: str,
        direction: Optional[str] = None,
        type: Optional[str] = None,
        limit: Optional[int] = None,
        *,
        timeout: Optional[float] = _DEFAULT,
    ) -> Dict[str, Any]:
        """``graph.neighbors`` → ``{token_id, direction, neighbors, count, total}``."""
        payload = _fields(token_id=token_id, direction=direction, type=type, limit=limit)
        return await self._call("graph.neighbors", payload, timeout)

    async def graph_disconnect(
        self, connection_id: str, *, id: Optional[str] = None, timeout: Optional[float] = _DEFAULT
    ) -> Dict[str, Any]:
        """``graph.disconnect`` → ``{connection_id, source_id, target_id, reason}``."""
        return await self._call("graph.disconnect", {"connection_id": connection_id}, timeout, id)

    async def graph_path(
        self,
        source_id: str,
        target_id: str,
        max_depth: Optional[int] = None,
        limit: Optional[int] = None,
        *,
        timeout: Optional[float] = _DEFAULT,
    ) -> Dict[str, Any]:
        """``graph.path`` → ``{source_id, target_id, paths, count, truncated}``."""
        payload = _fields(source_id=source_id, target_id=target_id, max_depth=max_depth, limit=limit)
        return await self._call("graph.path", payload, timeout)

    async def graph_degree(self, token_id: str, *, timeout: Optional[float] = _DEFAULT) -> Dict[str, Any]:
        """``graph.degree`` → ``{token_id, in_degree, out_degree, total_degree}``."""
        return await self._call("graph.degree", {"token_id": token_id}, timeout)

    async def graph_stats(self, *, timeout: Optional[float] = _DEFAULT) -> Dict[str, Any]:
        """``graph.stats`` → ``{total_nodes, total_edges, avg_degree, density}``."""
        return await self._call("graph.stats", {}, timeout)

    # ------------------------------------------------------------------ events

    async def next_event(self, timeout: Optional[float] = None) -> Dict[str, Any]:
        """The next subscription event (a message with ``topic`` and ``cursor``; also
        ``system.broadcast``, and after a reconnect the ``subscribed`` reply of each resumed topic,
        whose ``payload.resumed`` says whether the resume was complete). Raises
        :class:`asyncio.TimeoutError` after ``timeout``, :class:`EventStreamClosed` when the client
        is closed and every event has been taken."""
        return await self._events.get(timeout)

    async def events(self) -> AsyncIterator[Dict[str, Any]]:
        """``async for event in client.events():`` until the client is closed and drained."""
        while True:
            try:
                yield await self._events.get()
            except EventStreamClosed:
                return

    # ------------------------------------------------------------------ internals: bookkeeping

    def _set_state(self, state: str) -> None:
        self._state = state
        waiters, self._state_waiters = self._state_waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(state)

    def _check_usable(self) -> None:
        if self._state in (State.IDLE, State.CLOSED):
            raise NotConnectedError("Not connected")

    def _new_item(
        self, message_type: str, payload: Optional[Dict[str, Any]], message_id: Optional[str]
    ) -> _Outgoing:
        if not isinstance(message_type, str) or not message_type:
            raise ValueError("message_type must be a non-empty string")
        if payload is None:
            payload = {}
        if not isinstance(payload, dict):
            raise TypeError("payload must be a dict")
        seq = next(self._seq)
        if message_id is None:
            message_id = f"{self._session}-{seq}"
        elif not isinstance(message_id, str) or not 1 <= len(message_id) <= 128:
            raise ValueError("id must be a string of 1..128 characters")
        envelope = {
            "id": message_id,
            "type": message_type,
            "payload": payload,
            "timestamp": int(time.time() * 1000),
        }
        frame = json.dumps(envelope, separators=(",", ":"), allow_nan=False)
        return _Outgoing(seq, message_id, message_type, frame)

    def _enqueue(self, item: _Outgoing) -> None:
        if len(self._unsent) >= self.max_send_queue:
            raise QueueFullError(
                f"send queue full ({self.max_send_queue} messages waiting; state {self._state})"
            )
        self._unsent.append(item)
        if self._wake is not None:
            self._wake.set()

    def _forget(self, item: _Outgoing) -> None:
        if self._pending.get(item.id) is item:
            del self._pending[item.id]
        if not item.sent:
            try:
                self._unsent.remove(item)
            except ValueError:
                pass

    def _attach(self, ws: Any, established: Dict[str, Any]) -> None:
        self.ws = ws
        payload = established.get("payload")
        self.connection_info = payload if isinstance(payload, dict) else {}
        self.connection_id = self.connection_info.get("connection_id")
        self._inflight = set()
        self._drop_reason = None

    def _finish(self, error: Optional[BaseException], forget_subscriptions: bool) -> None:
        """Final state: nothing more is sent or received. After giving up reconnecting the
        subscriptions (with their cursors) are kept, so a later connect() resumes them."""
        err = error or NotConnectedError("client closed")
        for task in self._conn_tasks:
            task.cancel()
        self._conn_tasks = []
        for item in list(self._pending.values()):
            if item.future is not None and not item.future.done():
                item.future.set_exception(err)
        for item in self._unsent:
            if item.written is not None and not item.written.done():
                item.written.set_exception(err)
        self._pending.clear()
        self._unsent.clear()
        self._inflight.clear()
        self._sub_requests.clear()
        if forget_subscriptions:
            self._subs.clear()
        self._events.close()
        self.ws = None
        self.running = False
        self._supervisor = None
        self._set_state(State.CLOSED)

    # ------------------------------------------------------------------ internals: handlers

    def _call_handlers(self, event: Any, data: Any) -> None:
        for handler in list(self._handlers.get(event, ())):
            try:
                result = handler(data)
                if inspect.isawaitable(result):
                    task = asyncio.ensure_future(result)
                    self._bg_tasks.add(task)
                    task.add_done_callback(self._handler_done)
            except Exception:
                log.exception("handler for %r failed", event)

    def _handler_done(self, task: asyncio.Task) -> None:
        self._bg_tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("async handler failed", exc_info=task.exception())

    def _emit(self, event: str, info: Dict[str, Any]) -> None:
        self._call_handlers(event, info)

    async def _dispatch(self, message: Dict[str, Any]) -> None:
        try:
            await self._handle_message(message)
        except Exception:
            log.exception("_handle_message failed for %r", message.get("type"))

    # ------------------------------------------------------------------ internals: connection

    async def _resolve_token(self) -> Optional[str]:
        if self.token_provider is not None:
            token = self.token_provider()
            if inspect.isawaitable(token):
                token = await token
            self.token = token
        return self.token

    def connect_url(self, token: Optional[str] = None) -> str:
        """The URL a connection attempt uses: ``url`` with ``client_id`` and, with
        ``token_via`` ``"query"``/``"both"``, ``access_token``."""
        query = list(self._base_query) + [("client_id", self.client_id)]
        if token and self.token_via in ("query", "both"):
            query.append(("access_token", token))
        p = self._parts
        return urlunsplit((p.scheme, p.netloc, p.path, urlencode(query), ""))

    async def _open(self) -> Tuple[Any, Dict[str, Any], Optional[str]]:
        token = await self._resolve_token()
        headers = dict(self.headers)
        if token and self.token_via == "header":
            headers["Authorization"] = f"Bearer {token}"
        ws = await _ws.open_websocket(
            self.connect_url(token),
            headers=headers,
            open_timeout=self.connect_timeout,
            close_timeout=self.close_timeout,
        )
        try:
            raw = await asyncio.wait_for(ws.recv(), self.connect_timeout)
            message = json.loads(raw)
            if not isinstance(message, dict) or message.get("type") != "connection.established":
                raise ProtocolError(f"expected connection.established, got {str(raw)[:200]!r}")
        except BaseException:
            _ws.abort(ws)
            raise
        return ws, message, token

    async def _setup(self, ws: Any, token: Optional[str], initial: bool) -> None:
        """After the handshake: authenticate (``auth`` frame), resume every subscription from its
        cursor, then let queued and re-sent requests go."""
        timeout = self.request_timeout or 30.0
        if token and self.token_via in ("auth", "both"):
            reply = await self._internal_request(ws, "auth", {"token": token}, timeout)
            self.auth_info = reply.get("payload")
        for topic in list(self._subs):
            await self._resubscribe(ws, topic, timeout)
        if ws is not self.ws or self._closing:
            raise ConnectionLostError("the connection closed while it was being set up")
        self._attempt = 0
        self._set_state(State.CONNECTED)
        self._conn_tasks.append(asyncio.create_task(self._writer(ws)))
        if self.heartbeat_interval:
            self._conn_tasks.append(asyncio.create_task(self._heartbeat(ws)))
        info = {"connection_id": self.connection_id, "client_id": self.client_id, "reconnect": not initial}
        self._emit("connected", info)
        if not initial:
            self._emit("reconnected", info)

    async def _setup_guard(self, ws: Any, token: Optional[str]) -> None:
        try:
            await self._setup(ws, token, initial=False)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self.last_error = exc
            log.warning("setting up the new connection failed (%s); dropping it", exc)
            _ws.abort(ws)

    async def _resubscribe(self, ws: Any, topic: str, timeout: float) -> None:
        for attempt in range(1, 6):
            cursor = self._subs.get(topic)
            if topic not in self._subs:
                return  # unsubscribed meanwhile
            payload = _fields(topic=topic, since=cursor)
            try:
                await self._internal_request(ws, "subscribe", payload, timeout, subscribe=True)
                return
            except UnavailableError as exc:  # too many replays at once, or Kafka slow: retry
                log.info("resuming %s: %s; retrying", topic, exc)
                await asyncio.sleep(backoff_delay(attempt, 0.25, 4.0, 0.5))
            except (UnknownTopicError, ForbiddenError) as exc:
                self._subs.pop(topic, None)
                log.warning("subscription %s could not be restored: %s", topic, exc)
                self._emit("subscription_lost", {"topic": topic, "error": exc})
                return
        raise ConnectionLostError(f"could not resume {topic}: the server stayed unavailable")

    async def _internal_request(
        self, ws: Any, message_type: str, payload: Dict[str, Any], timeout: float, subscribe: bool = False
    ) -> Dict[str, Any]:
        """A request of the client's own (auth, resubscribe, heartbeat) on one connection: written at
        once, never queued nor re-sent."""
        item = self._new_item(message_type, payload, None)
        item.future = asyncio.get_running_loop().create_future()
        item.resend = False
        item.internal = True
        self._pending[item.id] = item
        if subscribe:
            self._sub_requests[item.id] = True
        future = item.future

        async def write_and_wait() -> Dict[str, Any]:
            try:
                await self._write(ws, item.frame)
            except _ws.ConnectionClosed as exc:
                raise ConnectionLostError("connection closed") from exc
            item.sent = True
            return await future

        try:
            return await asyncio.wait_for(write_and_wait(), timeout)
        except asyncio.TimeoutError:
            if future.cancelled() or not future.done():
                raise RequestTimeoutError(message_type, item.id, timeout) from None
            raise
        finally:
            self._pending.pop(item.id, None)
            self._sub_requests.pop(item.id, None)

    async def _write(self, ws: Any, frame: str) -> None:
        assert self._write_lock is not None
        async with self._write_lock:
            await ws.send(frame)

    async def _writer(self, ws: Any) -> None:
        """Writes the send queue in order, keeping at most ``max_in_flight`` requests unanswered."""
        assert self._wake is not None
        while True:
            while self._unsent:
                item = self._unsent[0]
                if item.future is not None and item.future.done():
                    self._unsent.popleft()  # timed out or cancelled before it was sent
                    continue
                if item.future is not None and len(self._inflight) >= self.max_in_flight:
                    break
                self._unsent.popleft()
                try:
                    await self._write(ws, item.frame)
                except BaseException:
                    self._unsent.appendleft(item)  # the reader notices the loss and reconnects
                    return
                item.sent = True
                if item.future is not None:
                    self._inflight.add(item.id)
                if item.written is not None and not item.written.done():
                    item.written.set_result(True)
            self._wake.clear()
            await self._wake.wait()

    async def _heartbeat(self, ws: Any) -> None:
        """Application-level ping every ``heartbeat_interval``; no pong within ``heartbeat_timeout``
        drops the connection, which makes the client reconnect and resume. Skipped while the reader
        waits for room in a full event queue (then the missing pong is the application's doing)."""
        assert self.heartbeat_interval
        while True:
            await asyncio.sleep(self.heartbeat_interval)
            if self._reader_blocked:
                self.heartbeats_skipped += 1
                continue
            stalls = self._reader_stalls
            try:
                await self._internal_request(ws, "ping", {}, self.heartbeat_timeout)
            except RequestTimeoutError:
                if self._reader_blocked or stalls != self._reader_stalls:
                    self.heartbeats_skipped += 1
                    continue
                log.warning("no pong within %.1f s; dropping the connection", self.heartbeat_timeout)
                self._drop_reason = "heartbeat timeout"
                _ws.abort(ws)
                return
            except ConnectionLostError:
                return
            except ServerError as exc:
                log.debug("heartbeat ping answered with %s", exc)

    async def _supervise(self, ws: Any) -> None:
        """Reads the connection; when it drops, reconnects (unless closing) and reads the next one."""
        error: Optional[BaseException] = None
        try:
            while True:
                code, reason = await self._read(ws)
                await self._connection_lost(code, reason)
                if self._closing:
                    return
                if not self.auto_reconnect:
                    error = ConnectionLostError(f"connection closed ({code} {reason})".strip())
                    break
                new_ws = await self._reconnect()
                if new_ws is None:
                    error = self._final_error
                    break
                ws = new_ws
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug; do not leave callers hanging
            log.exception("client supervisor failed")
            error = exc
        if self._closing:
            return
        failure: BaseException
        if not self.auto_reconnect:
            failure = error or ConnectionLostError("connection closed")
        elif isinstance(error, ReconnectFailedError):
            failure = error
        else:
            failure = ReconnectFailedError(str(error or "connection closed"), error)
        self._finish(failure, forget_subscriptions=False)
        self._emit("reconnect_failed" if self.auto_reconnect else "closed", {"error": failure})

    async def _read(self, ws: Any) -> Tuple[int, str]:
        try:
            while True:
                raw = await ws.recv()
                if isinstance(raw, bytes):
                    log.warning("ignoring a binary frame of %d bytes", len(raw))
                    continue
                try:
                    message = json.loads(raw)
                except ValueError:
                    log.warning("ignoring a frame that is not JSON: %.200r", raw)
                    continue
                if not isinstance(message, dict):
                    continue
                try:
                    await self._route(message)
                except Exception:
                    log.exception("failed to handle %r", message.get("type"))
        except _ws.ConnectionClosed as exc:
            return _ws.close_info(ws, exc)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("connection failed: %s", exc)
            _ws.abort(ws)
            return 1006, str(exc)

    async def _route(self, message: Dict[str, Any]) -> None:
        mtype = message.get("type")
        corr = message.get("correlation_id")
        if not isinstance(corr, str):
            corr = None
            if mtype == "error":
                body = message.get("payload")
                original = body.get("original_message_id") if isinstance(body, dict) else None
                corr = original if isinstance(original, str) else None
        if corr is not None:
            if corr in self._inflight:
                self._inflight.discard(corr)
                if self._wake is not None:
                    self._wake.set()
            if mtype == "subscribed" and corr in self._sub_requests:
                await self._on_subscribed(message, internal=self._sub_requests[corr])
            self._sub_requests.pop(corr, None)
            item = self._pending.pop(corr, None)
            if item is not None and item.future is not None and not item.future.done():
                if mtype == "error":
                    item.future.set_exception(ServerError.from_envelope(message))
                else:
                    item.future.set_result(message)
        elif mtype not in ("connection.established", "error"):
            if self._already_seen(message):
                # The same event again (an outbox relay republished it, and this client saw the first copy
                # on another gateway instance): the cursor moves on, nobody sees it twice.
                self.duplicates_dropped += 1
                topic, cursor = message.get("topic"), message.get("cursor")
                if isinstance(topic, str) and isinstance(cursor, str) and topic in self._subs:
                    self._subs[topic] = cursor
                return
            await self._deliver_event(message)
        elif mtype == "error":
            log.warning("server error: %s", message.get("payload"))
        await self._dispatch(message)

    def _already_seen(self, message: Dict[str, Any]) -> bool:
        """Whether this delivery's ``event_id`` arrived on its topic among the last ``DEDUPE_WINDOW``."""
        event_id, topic = message.get("event_id"), message.get("topic")
        if not isinstance(event_id, str) or not isinstance(topic, str):
            return False
        key = (topic, event_id)
        if key in self._seen_events:
            return True
        self._seen_events[key] = None
        if len(self._seen_events) > DEDUPE_WINDOW:
            self._seen_events.popitem(last=False)
        return False

    async def _on_subscribed(self, message: Dict[str, Any], internal: bool) -> None:
        body = message.get("payload")
        if not isinstance(body, dict):
            return
        topic = body.get("topic")
        if not isinstance(topic, str):
            return
        cursor = body.get("cursor")
        self._subs[topic] = cursor if isinstance(cursor, str) else self._subs.get(topic)
        if internal:
            # Marks the seam in the event stream: payload.resumed False means events may be missing.
            await self._deliver_event(message, track=False)
            info = {"topic": topic, "cursor": cursor, "resumed": body.get("resumed")}
            if body.get("resumed") is False:
                log.warning("%s could not be resumed (events may be missing): reload its state", topic)
            self._emit("resubscribed", info)

    async def _deliver_event(self, message: Dict[str, Any], track: bool = True) -> None:
        if self._events.full() and self._events.overflow == BLOCK:
            self._reader_blocked = True
            self._reader_stalls += 1
            try:
                await self._events.put(message)
            finally:
                self._reader_blocked = False
        else:
            await self._events.put(message)
        if track:
            topic = message.get("topic")
            cursor = message.get("cursor")
            if isinstance(topic, str) and isinstance(cursor, str) and topic in self._subs:
                self._subs[topic] = cursor

    async def _connection_lost(self, code: int, reason: str) -> None:
        reason = self._drop_reason or reason
        self.last_close = (code, reason)
        tasks, self._conn_tasks = self._conn_tasks, []
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._inflight.clear()
        lost = ConnectionLostError(f"connection closed ({code} {reason})".strip())
        keep: List[_Outgoing] = []
        for item in list(self._pending.values()):
            if item.internal or (item.sent and not item.resend):
                del self._pending[item.id]
                self._sub_requests.pop(item.id, None)
                if item.future is not None and not item.future.done():
                    item.future.set_exception(lost)
            else:
                keep.append(item)
        merged = {id(item): item for item in keep}
        for item in self._unsent:
            merged[id(item)] = item
        self._unsent = deque(sorted(merged.values(), key=lambda item: item.seq))
        for item in self._unsent:
            item.sent = False
            if item.written is not None and not item.written.done():
                item.written.set_result(False)  # stays queued; goes out after the reconnect
        self.ws = None
        if not self._closing and self.auto_reconnect:
            self._set_state(State.RECONNECTING)
        log.info("connection %s closed: %s %s", self.connection_id, code, reason)
        self._emit("disconnected", {"code": code, "reason": reason, "connection_id": self.connection_id})

    async def _reconnect(self) -> Optional[Any]:
        assert self._closing_event is not None
        while not self._closing:
            self._attempt += 1
            limit = self.max_reconnect_attempts
            if limit is not None and self._attempt > limit:
                self._final_error = ReconnectFailedError(
                    f"gave up after {limit} reconnect attempts", self.last_error
                )
                return None
            delay = backoff_delay(
                self._attempt, self.reconnect_delay, self.max_reconnect_delay, self.reconnect_jitter
            )
            self._emit("reconnecting", {"attempt": self._attempt, "delay": delay})
            try:
                await asyncio.wait_for(self._closing_event.wait(), delay)
                return None  # disconnect() was called
            except asyncio.TimeoutError:
                pass
            try:
                ws, established, token = await self._open()
            except asyncio.CancelledError:
                raise
            except HandshakeRejectedError as exc:
                self.last_error = exc
                if not exc.retryable:
                    self._final_error = ReconnectFailedError(str(exc), exc)
                    return None
                continue
            except Exception as exc:
                self.last_error = exc
                log.info("reconnect attempt %d failed: %s", self._attempt, exc)
                continue
            if self._closing:
                _ws.abort(ws)
                return None
            self.reconnects += 1
            self._attach(ws, established)
            await self._dispatch(established)
            self._conn_tasks.append(asyncio.create_task(self._setup_guard(ws, token)))
            return ws
        return None
