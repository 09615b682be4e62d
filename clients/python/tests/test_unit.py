"""Pure logic, no server: backoff, the bounded event queue, URLs, envelopes, error mapping."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from neurograph_client import (
    ConflictError,
    EventQueue,
    EventStreamClosed,
    NeuroGraphWebSocketClient,
    NotConnectedError,
    RateLimitedError,
    ServerError,
    State,
    ValidationFailedError,
    backoff_delay,
    normalize_topic,
)
from neurograph_client.errors import HandshakeRejectedError, error_class_for
from support import run


# ---------------------------------------------------------------- backoff

def test_backoff_grows_exponentially_up_to_the_cap_without_jitter():
    delays = [backoff_delay(n, base=0.5, cap=8.0, jitter=0.0) for n in range(1, 8)]
    assert delays == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_backoff_jitter_stays_within_the_band():
    for attempt in range(1, 12):
        full = min(10.0, 0.25 * 2 ** (attempt - 1))
        low = backoff_delay(attempt, 0.25, 10.0, 0.5, rand=lambda: 0.999999)
        high = backoff_delay(attempt, 0.25, 10.0, 0.5, rand=lambda: 0.0)
        assert high == pytest.approx(full)
        assert low == pytest.approx(full * 0.5, rel=1e-5)


def test_backoff_randomises_by_default_and_handles_huge_attempts():
    values = {backoff_delay(3, 1.0, 100.0, 1.0) for _ in range(50)}
    assert len(values) > 1 and all(0.0 <= v <= 4.0 for v in values)
    assert backoff_delay(10_000, 1.0, 30.0, 0.0) == 30.0
    with pytest.raises(ValueError):
        backoff_delay(0)
    with pytest.raises(ValueError):
        backoff_delay(1, jitter=1.5)


# ---------------------------------------------------------------- event queue

def test_event_queue_drop_oldest_keeps_the_newest_and_counts_drops():
    async def scenario():
        q = EventQueue(3, "drop_oldest")
        for i in range(7):
            assert await q.put(i)
        assert len(q) == 3 and q.dropped == 4
        return [q.get_nowait() for _ in range(3)]

    assert run(scenario()) == [4, 5, 6]


def test_event_queue_block_waits_for_room_and_loses_nothing():
    async def scenario():
        q = EventQueue(2, "block")
        producer = asyncio.ensure_future(_produce(q, range(6)))
        await asyncio.sleep(0)
        got = []
        while len(got) < 6:
            assert len(q) <= 2
            got.append(await q.get(timeout=5))
        await producer
        return got, q.dropped

    async def _produce(q, items):
        for item in items:
            await q.put(item)

    got, dropped = run(scenario())
    assert got == list(range(6)) and dropped == 0


def test_event_queue_get_times_out_and_close_ends_the_stream_after_draining():
    async def scenario():
        q = EventQueue(5)
        with pytest.raises(asyncio.TimeoutError):
            await q.get(timeout=0.05)
        await q.put("a")
        q.close()
        assert not await q.put("b")  # refused after close
        assert await q.get(timeout=1) == "a"
        with pytest.raises(EventStreamClosed):
            await q.get(timeout=1)

    run(scenario())


def test_event_queue_close_releases_a_blocked_putter_and_waiting_getter():
    async def scenario():
        q = EventQueue(1)
        await q.put(1)
        putter = asyncio.ensure_future(q.put(2))
        await asyncio.sleep(0)  # one turn of the loop: the task runs until it blocks
        assert not putter.done()
        q.close()
        assert await asyncio.wait_for(putter, 1) is False

        q2 = EventQueue(1)
        getter = asyncio.ensure_future(q2.get())
        await asyncio.sleep(0)  # one turn of the loop: the task runs until it blocks
        q2.close()
        with pytest.raises(EventStreamClosed):
            await asyncio.wait_for(getter, 1)

    run(scenario())


def test_event_queue_rejects_bad_settings():
    with pytest.raises(ValueError):
        EventQueue(0)
    with pytest.raises(ValueError):
        EventQueue(5, "drop_newest")


# ---------------------------------------------------------------- client construction, URLs, frames

def test_client_ids_are_stable_per_instance_and_valid():
    a = NeuroGraphWebSocketClient()
    b = NeuroGraphWebSocketClient()
    assert a.url == "ws://localhost:8000/ws"
    assert a.client_id != b.client_id and a.client_id.startswith("py-")
    assert a.connect_url() == a.connect_url()
    with pytest.raises(ValueError):
        NeuroGraphWebSocketClient(client_id="bad id with spaces")
    with pytest.raises(ValueError):
        NeuroGraphWebSocketClient("http://localhost:8000/ws")
    with pytest.raises(ValueError):
        NeuroGraphWebSocketClient(token_via="cookie")


def test_connect_url_carries_client_id_token_and_other_parameters():
    c = NeuroGraphWebSocketClient("ws://h:1/ws?x=1&client_id=from-url", token="T0K")
    assert c.client_id == "from-url"
    q = parse_qs(urlsplit(c.connect_url("T0K")).query)
    assert q == {"x": ["1"], "client_id": ["from-url"], "access_token": ["T0K"]}
    explicit = NeuroGraphWebSocketClient("ws://h:1/ws?client_id=from-url", client_id="mine", token_via="auth")
    q = parse_qs(urlsplit(explicit.connect_url("T0K")).query)
    assert q == {"client_id": ["mine"]}  # token goes in an auth frame, not in the URL


def test_frames_have_unique_ids_and_the_envelope_fields():
    c = NeuroGraphWebSocketClient()
    first = c._new_item("token.create", {"type": "x"}, None)
    second = c._new_item("ping", None, None)
    chosen = c._new_item("ping", {}, "my-key")
    env = json.loads(first.frame)
    assert set(env) == {"id", "type", "payload", "timestamp"}
    assert env["type"] == "token.create" and env["payload"] == {"type": "x"}
    assert isinstance(env["timestamp"], int)
    assert first.id != second.id and json.loads(second.frame)["payload"] == {}
    assert chosen.id == "my-key"
    with pytest.raises(ValueError):
        c._new_item("ping", {"w": float("nan")}, None)  # the server would refuse NaN
    with pytest.raises(ValueError):
        c._new_item("ping", {}, "x" * 129)
    with pytest.raises(TypeError):
        c._new_item("ping", ["not", "an", "object"], None)


def test_send_and_requests_before_connect_raise_not_connected_like_the_original():
    c = NeuroGraphWebSocketClient()
    assert c.state == State.IDLE and c.running is False and c.ws is None and c.connection_id is None
    with pytest.raises(RuntimeError, match="Not connected"):
        run(c.send("ping"))
    with pytest.raises(NotConnectedError):
        run(c.token_count())


def test_topics_are_normalised_like_the_server_echoes_them():
    assert normalize_topic("token:ABCDEF") == "token:abcdef"
    assert normalize_topic("tokens") == "tokens"


# ---------------------------------------------------------------- errors

def test_error_replies_map_to_typed_exceptions_with_every_field():
    envelope = {
        "type": "error",
        "correlation_id": "r1",
        "payload": {
            "code": "RATE_LIMITED",
            "message": "Too many messages",
            "original_message_id": "r1",
            "retry_after_ms": 250,
        },
    }
    exc = ServerError.from_envelope(envelope)
    assert isinstance(exc, RateLimitedError) and isinstance(exc, ServerError)
    assert (exc.code, exc.message, exc.retry_after_ms, exc.original_message_id) == (
        "RATE_LIMITED", "Too many messages", 250, "r1")
    assert exc.envelope is envelope

    details = [{"field": "weight", "problem": "must be a finite number >= 0"}]
    exc = ServerError.from_envelope({"type": "error", "payload": {
        "code": "VALIDATION_FAILED", "message": "Invalid", "details": details}})
    assert isinstance(exc, ValidationFailedError) and exc.details == details
    assert error_class_for("CONFLICT") is ConflictError
    unknown = ServerError.from_envelope({"type": "error", "payload": {"code": "NEW_CODE", "message": "m"}})
    assert type(unknown) is ServerError and unknown.code == "NEW_CODE"


def test_handshake_statuses_that_are_worth_retrying():
    assert HandshakeRejectedError(503).retryable
    assert not HandshakeRejectedError(401).retryable
    assert not HandshakeRejectedError(400).retryable


# ---------------------------------------------------------------- duplicate events

def test_a_repeated_event_id_on_a_topic_is_dropped_but_moves_the_cursor():
    async def scenario():
        client = NeuroGraphWebSocketClient("ws://127.0.0.1:1/ws")
        client._subs["tokens"] = "c0"
        first = {"id": "env-1", "type": "token.updated", "topic": "tokens", "cursor": "c1", "event_id": "e-1",
                 "payload": {"token_id": "t", "version": 2}}
        again = dict(first, id="env-2", cursor="c2")
        other = dict(first, id="env-3", cursor="c3", event_id="e-2", payload={"token_id": "t", "version": 3})
        for message in (first, again, other):
            await client._route(message)
        got = [await client.next_event(timeout=1), await client.next_event(timeout=1)]
        assert [m["payload"]["version"] for m in got] == [2, 3]
        assert client.duplicates_dropped == 1
        assert client.subscriptions["tokens"] == "c3"
        # Without an event_id nothing is taken for a duplicate.
        plain = {"id": "env-4", "type": "system.message", "topic": "system", "cursor": "s1", "payload": {}}
        await client._route(plain)
        await client._route(dict(plain, id="env-5"))
        assert client.duplicates_dropped == 1

    run(scenario())
