"""Against the real gateway: subscription events with topic and cursor, and the bounded event queue."""

from __future__ import annotations

import uuid

import pytest

from neurograph_client import EventStreamClosed, NeuroGraphWebSocketClient
from support import WAIT, auth_options, run, unique, wait_until


def client(url: str, **options) -> NeuroGraphWebSocketClient:
    options.setdefault("request_timeout", WAIT)
    for key, value in auth_options().items():
        options.setdefault(key, value)
    return NeuroGraphWebSocketClient(url, **options)


async def events_of(c: NeuroGraphWebSocketClient, count: int, keep) -> list:
    """The next ``count`` events for which ``keep(event)`` holds (others are skipped)."""
    got = []
    while len(got) < count:
        event = await c.next_event(timeout=WAIT)
        if keep(event):
            got.append(event)
    return got


def test_subscribed_client_gets_events_with_topic_and_cursor(stack):
    async def scenario():
        kind = unique("ev")
        listener = client(stack.ws_url)
        actor = client(stack.ws_url)
        await listener.connect()
        await actor.connect()
        try:
            sub = await listener.subscribe("tokens")
            start_cursor = sub["cursor"]
            assert start_cursor and listener.subscriptions["tokens"] == start_cursor
            await listener.subscribe("graph")
            await listener.subscribe("system")

            a = await actor.token_create(type=kind)
            b = await actor.token_create(type=kind)
            await actor.token_update(a["token_id"], weight=4.0)
            edge = await actor.graph_connect(a["token_id"], b["token_id"], type="ev")
            assert stack.publish("system", {"note": kind}) == 202

            mine = await events_of(listener, 5, lambda e: (
                e["payload"].get("type") == kind
                or e["payload"].get("connection_id") == edge["connection_id"]
                or e["payload"].get("note") == kind))

            by_kind = {(e["topic"], e["type"]) for e in mine}
            assert by_kind == {("tokens", "token.created"), ("tokens", "token.updated"),
                               ("graph", "graph.connected"), ("system", "system.message")}
            for e in mine:
                assert isinstance(e["cursor"], str) and e["cursor"]
                assert e.get("correlation_id") is None and e["id"]
            a_events = [(e["type"], e["payload"]["version"]) for e in mine
                        if e["topic"] == "tokens" and e["payload"]["token_id"] == a["token_id"]]
            assert a_events == [("token.created", 1), ("token.updated", 2)]  # in order per token
            # the client remembers the cursor of the last event of each topic (where a resume starts)
            assert listener.subscriptions["system"] == [e for e in mine if e["topic"] == "system"][-1]["cursor"]
            assert len({e["cursor"] for e in mine if e["topic"] == "tokens"}) == 3
        finally:
            await actor.disconnect()
            await listener.disconnect()
        with pytest.raises(EventStreamClosed):
            while True:
                listener.event_queue.get_nowait()

    run(scenario())


def test_event_queue_drop_oldest_keeps_the_newest_events_and_counts_the_rest(stack):
    async def scenario():
        async with client(stack.ws_url) as actor:
            # Subscribe before the token exists (its id chosen here), so the topic carries exactly
            # its 9 events: created (v1) and 8 updates (v2..v9).
            token_id = str(uuid.uuid4())
            topic = "token:" + token_id
            listener = client(stack.ws_url, max_event_queue=3, event_overflow="drop_oldest")
            await listener.connect()
            try:
                await listener.subscribe(topic)
                await actor.token_create(type=unique("drop"), token_id=token_id)
                for weight in range(1, 9):
                    await actor.token_update(token_id, weight=float(weight))
                await wait_until(lambda: listener.dropped_events + len(listener.event_queue) >= 9,
                                 what="all 9 events to reach the listener")
                assert len(listener.event_queue) == 3 and listener.dropped_events == 6
                kept = [listener.event_queue.get_nowait() for _ in range(3)]
                assert [e["payload"]["version"] for e in kept] == [7, 8, 9]
                assert listener.subscriptions[topic] == kept[-1]["cursor"]
            finally:
                await listener.disconnect()

    run(scenario())


def test_event_queue_block_holds_the_reader_and_loses_nothing(stack):
    async def scenario():
        async with client(stack.ws_url) as actor:
            token_id = str(uuid.uuid4())  # subscribed before it exists: exactly its own 7 events
            topic = "token:" + token_id
            listener = client(stack.ws_url, max_event_queue=2, event_overflow="block",
                              heartbeat_interval=0.2, heartbeat_timeout=5.0)
            disconnects = []
            listener.on("disconnected", disconnects.append)
            await listener.connect()
            try:
                await listener.subscribe(topic)
                await actor.token_create(type=unique("block"), token_id=token_id)
                for weight in range(1, 7):  # versions 2..7
                    await actor.token_update(token_id, weight=float(weight))
                await wait_until(lambda: listener.reading_paused, what="the reader to wait for room")
                assert len(listener.event_queue) == 2
                # The heartbeat must not take the paused reader for a dead link: let it run a few times.
                await wait_until(lambda: listener.heartbeats_skipped >= 3, what="heartbeats while paused")
                assert listener.reading_paused and len(listener.event_queue) == 2
                versions = []
                while len(versions) < 7:
                    assert len(listener.event_queue) <= 2
                    versions.append((await listener.next_event(timeout=WAIT))["payload"]["version"])
                assert versions == [1, 2, 3, 4, 5, 6, 7] and listener.dropped_events == 0
                assert disconnects == [] and listener.reconnects == 0
            finally:
                await listener.disconnect()

    run(scenario())
