"""Against the real gateway: reconnect, resume from cursors, idempotent re-send, heartbeat, limits.

The gateway restart is a real kill -9 and start (clients/testing/stack.mjs). A TCP relay in front of
the gateway lets a test decide when a client may come back, or make a link go silent.
"""

from __future__ import annotations

import asyncio
from typing import Dict, List, Tuple

import pytest

from neurograph_client import (
    ConnectionLostError,
    EventStreamClosed,
    NeuroGraphWebSocketClient,
    NotConnectedError,
    QueueFullError,
    ReconnectFailedError,
    State,
)
from support import WAIT, auth_options, Recorder, Relay, run, unique, wait_until

LIFECYCLE = ["connected", "reconnected", "disconnected", "reconnecting", "reconnect_failed", "resubscribed"]


def client(url: str, **options) -> NeuroGraphWebSocketClient:
    options.setdefault("request_timeout", WAIT)
    for key, value in auth_options().items():
        options.setdefault(key, value)
    options.setdefault("reconnect_delay", 0.1)
    options.setdefault("max_reconnect_delay", 1.0)
    options.setdefault("max_reconnect_attempts", None)
    return NeuroGraphWebSocketClient(url, **options)


class Collector:
    """Drains a client's events in the background, keeping those of one token type / id set."""

    def __init__(self, c: NeuroGraphWebSocketClient, kind: str) -> None:
        self.client = c
        self.kind = kind
        self.ids: set = set()
        self.events: List[dict] = []
        self.markers: List[dict] = []
        self.task = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        try:
            async for event in self.client.events():
                if event["type"] == "subscribed":
                    self.markers.append(event["payload"])
                    continue
                payload = event["payload"]
                if payload.get("type") == self.kind or payload.get("token_id") in self.ids:
                    self.ids.add(payload["token_id"])
                    self.events.append(event)
        except EventStreamClosed:
            pass

    def seen(self) -> List[Tuple[str, str, int]]:
        """(token_id, event type, version) in arrival order; a deletion has version 0."""
        return [(e["payload"]["token_id"], e["type"], e["payload"].get("version", 0)) for e in self.events]

    async def stop(self) -> None:
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)


def per_token(seen: List[Tuple[str, str, int]]) -> Dict[str, List[Tuple[str, int]]]:
    out: Dict[str, List[Tuple[str, int]]] = {}
    for token_id, kind, version in seen:
        out.setdefault(token_id, []).append((kind, version))
    return out


def test_resume_after_gateway_kill_and_restart_misses_nothing(stack):
    """A (behind a relay that keeps it away after the restart) and C (direct) are subscribed to
    ``tokens`` when the gateway is killed -9. While A is away, B changes tokens. A must then get
    every one of those events exactly once and in order per token, by resuming from its cursor."""
    if not stack.can_restart:
        pytest.skip("a platform given by NEUROGRAPH_TEST_WS_URL cannot be restarted from here")

    async def scenario():
        kind = unique("resume")
        async with Relay(stack.ws_url) as relay:
            # No heartbeat here: the kill -9 is noticed through the closed TCP connections, and a
            # pong delayed on a loaded machine must not add reconnects this test counts.
            a = client(relay.ws_url, heartbeat_interval=None)
            c = client(stack.ws_url, heartbeat_interval=None)
            b = client(stack.ws_url)
            a_life = Recorder(a, LIFECYCLE)
            for x in (a, b, c):
                await x.connect()
            a_client_id = a.client_id
            await a.subscribe("tokens")
            await c.subscribe("tokens")
            a_events, c_events = Collector(a, kind), Collector(c, kind)

            t1 = await b.token_create(type=kind)
            await b.token_update(t1["token_id"], weight=2.0)
            before = [(t1["token_id"], "token.created", 1), (t1["token_id"], "token.updated", 2)]
            await wait_until(lambda: a_events.seen() == before and c_events.seen() == before,
                             what="the first events on both listeners")

            relay.accepting = False  # A may not come back until we say so
            await stack.restart_gateway()  # kill -9, start again, wait until ready
            assert a.state == State.RECONNECTING
            assert a_life.count("disconnected") == 1

            # B's own connection died as well; it reconnects by itself (no resubscription needed)
            await b.wait_connected(timeout=WAIT)
            await b.token_update(t1["token_id"], weight=3.0)
            t2 = await b.token_create(type=kind)
            t3 = await b.token_create(type=kind)
            await b.token_update(t2["token_id"], weight=5.0)
            await b.token_delete(t3["token_id"])
            # A request made while A is away waits in its send queue and goes out after the reconnect.
            a_create = asyncio.ensure_future(a.token_create(type=kind, metadata={"by": "a"}))
            await wait_until(lambda: a.queued_messages == 1, what="A's request to be queued")
            assert a.state == State.RECONNECTING  # still away: everything above happened without A

            relay.accepting = True
            await a.wait_connected(timeout=WAIT)
            t4 = await a_create
            await b.token_update(t2["token_id"], weight=6.0)  # live again

            expected = {
                t1["token_id"]: [("token.created", 1), ("token.updated", 2), ("token.updated", 3)],
                t2["token_id"]: [("token.created", 1), ("token.updated", 2), ("token.updated", 3)],
                t3["token_id"]: [("token.created", 1), ("token.deleted", 0)],
                t4["token_id"]: [("token.created", 1)],
            }
            total = sum(len(v) for v in expected.values())
            for listener in (a_events, c_events):
                await wait_until(lambda: len(listener.seen()) >= total, what="every event after the restart")
                assert per_token(listener.seen()) == expected  # all, once each, in order per token
                assert len(listener.seen()) == total

            # A resumed from its cursor (resumed: true) with the same client_id on a new connection
            assert [m["resumed"] for m in a_events.markers] == [True]
            assert [i["resumed"] for i in a_life.infos("resubscribed")] == [True]
            assert a.reconnects == 1 and a.client_id == a_client_id
            assert a.connection_id != a_life.infos("disconnected")[0]["connection_id"]
            assert c.reconnects >= 1 and all(m["resumed"] for m in c_events.markers)

            for collector in (a_events, c_events):
                await collector.stop()
            for x in (a, b, c):
                await x.disconnect()

    run(scenario(), timeout=400)


def test_unanswered_command_is_resent_with_the_same_id_and_applied_once(stack):
    async def scenario():
        kind = unique("idem")
        async with Relay(stack.ws_url) as relay:
            watcher = client(stack.ws_url)
            await watcher.connect()
            await watcher.subscribe("tokens")
            watched = Collector(watcher, kind)

            a = client(relay.ws_url, heartbeat_interval=None)
            await a.connect()
            relay.mute_downstream()  # the gateway gets the command, A never gets the reply
            pending = asyncio.ensure_future(a.token_create(type=kind, id="create-once"))
            await wait_until(lambda: len(watched.seen()) == 1, what="the command to take effect")
            assert not pending.done()
            relay.cut()

            token = await asyncio.wait_for(pending, WAIT)  # re-sent after the reconnect, same id
            assert a.reconnects == 1
            assert token["token_id"] == watched.seen()[0][0] and token["version"] == 1
            assert (await watcher.token_count(type=kind))["count"] == 1  # applied once

            # the same id again from the same client_id is the same command: same outcome, no change
            again = await a.token_create(type=kind, id="create-once")
            assert again["token_id"] == token["token_id"]
            assert (await watcher.token_count(type=kind))["count"] == 1

            await watched.stop()
            await a.disconnect()
            await watcher.disconnect()

    run(scenario())


def test_missing_pong_drops_the_link_and_reconnects(stack):
    async def scenario():
        async with Relay(stack.ws_url) as relay:
            a = client(relay.ws_url, heartbeat_interval=0.3, heartbeat_timeout=2.0)
            life = Recorder(a, LIFECYCLE)
            await a.connect()
            await a.subscribe("system")
            await wait_until(lambda: a.connected, what="the connection")
            drops_before = life.count("disconnected")  # 0, unless the machine stalled for 2 s
            reconnects_before = a.reconnects
            first_connection = a.connection_id
            relay.freeze()  # the link stays open but nothing gets through
            await wait_until(lambda: life.count("disconnected") > drops_before, what="the heartbeat to give up")
            drop = life.infos("disconnected")[drops_before]
            assert drop["reason"] == "heartbeat timeout" and drop["connection_id"] == first_connection
            await a.wait_connected(timeout=WAIT)
            assert a.connection_id != first_connection and a.reconnects > reconnects_before
            assert (await a.ping())["message_id"]
            assert "system" in a.subscriptions  # resubscribed on the new connection
            assert {i["topic"] for i in life.infos("resubscribed")} == {"system"}
            assert all(i["resumed"] for i in life.infos("resubscribed"))
            await a.disconnect()

    run(scenario())


def test_reconnecting_gives_up_after_the_attempt_limit(stack):
    async def scenario():
        async with Relay(stack.ws_url) as relay:
            a = client(relay.ws_url, max_reconnect_attempts=3, reconnect_delay=0.05, max_reconnect_delay=0.2)
            life = Recorder(a, LIFECYCLE)
            await a.connect()
            relay.accepting = False
            relay.cut()
            await wait_until(lambda: a.state == State.RECONNECTING, what="the drop to be noticed")
            waiting = asyncio.ensure_future(a.ping())
            await a.wait_for_state(State.CLOSED, timeout=WAIT)
            assert life.count("reconnecting") == 3 and life.count("reconnect_failed") == 1
            assert [i["attempt"] for i in life.infos("reconnecting")] == [1, 2, 3]
            with pytest.raises(ReconnectFailedError):
                await waiting
            with pytest.raises(EventStreamClosed):
                await a.next_event(timeout=WAIT)
            with pytest.raises(NotConnectedError):
                await a.send("ping")
            assert not a.running and relay.accepted == 1

    run(scenario())


def test_send_queue_is_bounded_while_away_and_flushed_after_the_reconnect(stack):
    async def scenario():
        kind = unique("queue")
        async with Relay(stack.ws_url) as relay:
            a = client(relay.ws_url, max_send_queue=3)
            await a.connect()
            relay.accepting = False
            relay.cut()
            await wait_until(lambda: a.state == State.RECONNECTING, what="the drop to be noticed")
            queued = [asyncio.ensure_future(a.token_create(type=kind, metadata={"i": i})) for i in range(3)]
            await wait_until(lambda: a.queued_messages == 3, what="three queued requests")
            with pytest.raises(QueueFullError):
                await a.token_create(type=kind)
            with pytest.raises(QueueFullError):
                await a.send("ping")
            assert a.queued_messages == 3 and a.pending_requests == 3
            relay.accepting = True
            created = await asyncio.wait_for(asyncio.gather(*queued), WAIT)
            assert sorted(t["metadata"]["i"] for t in created) == [0, 1, 2]
            assert (await a.token_count(type=kind))["count"] == 3
            assert a.queued_messages == 0 and a.pending_requests == 0
            await a.disconnect()

    run(scenario())


def test_a_resume_the_server_cannot_complete_is_surfaced(stack):
    async def scenario():
        async with Relay(stack.ws_url) as relay:
            a = client(relay.ws_url)
            life = Recorder(a, LIFECYCLE)
            await a.connect()
            await a.subscribe("system")
            # Stand-in for events that Kafka no longer retains: a cursor this platform never wrote.
            a._subs["system"] = "not-a-cursor"
            relay.cut()
            marker = await a.next_event(timeout=WAIT)
            assert marker["type"] == "subscribed" and marker["payload"]["topic"] == "system"
            assert marker["payload"]["resumed"] is False
            assert [i["resumed"] for i in life.infos("resubscribed")] == [False]
            assert a.subscriptions["system"] == marker["payload"]["cursor"] != "not-a-cursor"
            await a.disconnect()

    run(scenario())


def test_without_reconnect_or_resend_waiting_requests_fail_with_connection_lost(stack):
    async def scenario():
        async with Relay(stack.ws_url) as relay:
            once = client(relay.ws_url, auto_reconnect=False, heartbeat_interval=None)
            life = Recorder(once, ["closed", "reconnecting"])
            await once.connect()
            relay.mute_downstream()
            waiting = asyncio.ensure_future(once.token_count())
            await wait_until(lambda: once.in_flight_requests == 1, what="the request to go out")
            relay.cut()
            with pytest.raises(ConnectionLostError):
                await asyncio.wait_for(waiting, WAIT)
            await once.wait_for_state(State.CLOSED, timeout=WAIT)
            assert life.count("closed") == 1 and life.count("reconnecting") == 0

            no_resend = client(relay.ws_url, resend_on_reconnect=False, heartbeat_interval=None)
            await no_resend.connect()
            relay.mute_downstream()
            sent = asyncio.ensure_future(no_resend.token_count())
            await wait_until(lambda: no_resend.in_flight_requests == 1, what="the request to go out")
            relay.cut()
            with pytest.raises(ConnectionLostError):
                await asyncio.wait_for(sent, WAIT)
            await no_resend.wait_connected(timeout=WAIT)  # reconnected; only the request was dropped
            assert "count" in await no_resend.token_count()
            await no_resend.disconnect()

    run(scenario())
