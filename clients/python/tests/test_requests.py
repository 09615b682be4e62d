"""Against the real gateway: connection, every request helper, error replies, timeouts, handlers."""

from __future__ import annotations

import asyncio
import random
import time

import pytest

from neurograph_client import (
    ConflictError,
    NeuroGraphWebSocketClient,
    NotConnectedError,
    NotFoundError,
    RequestTimeoutError,
    ServerError,
    State,
    UnknownTopicError,
    ValidationFailedError,
)
from support import AUTH_MODE, WAIT, Relay, auth_options, make_jwt, run, unique, wait_until

ZERO = [0.0] * 8


def client(url: str, **options) -> NeuroGraphWebSocketClient:
    options.setdefault("request_timeout", WAIT)
    for key, value in auth_options().items():
        options.setdefault(key, value)
    return NeuroGraphWebSocketClient(url, **options)


def test_connect_reports_connection_and_client_id(stack):
    async def scenario():
        c = client(stack.ws_url)
        established = await c.connect()
        try:
            assert c.state == State.CONNECTED and c.running
            assert c.connection_id and established["connection_id"] == c.connection_id
            assert established["client_id"] == c.client_id
            assert established["protocol"] == "neurograph.v1"
            assert established["heartbeat_interval_ms"] > 0
            listed = stack.get_json("/ws/connections?limit=1000")["connections"]
            mine = [x for x in listed if x["connection_id"] == c.connection_id]
            assert len(mine) == 1 and mine[0]["client_id"] == c.client_id
        finally:
            await c.disconnect()
        assert c.state == State.CLOSED and not c.running
        with pytest.raises(NotConnectedError):
            await c.ping()

    run(scenario())


def test_every_request_helper_returns_its_reply(stack):
    async def scenario():
        kind = unique("req")
        subject = unique("sub")
        async with client(stack.ws_url, **auth_options(subject)) as c:
            pong = await c.ping()
            assert pong["message_id"]

            spot = random.uniform(1000.0, 2000.0)  # a place in L1 no other token is likely to be
            a = await c.token_create(type=kind, coord_x=[spot] + [0.0] * 7, weight=1.5, flags=3,
                                     metadata={"n": 1})
            assert a["type"] == kind and a["version"] == 1 and a["weight"] == 1.5 and a["flags"] == 3
            assert a["coord_x"][0] == spot and a["metadata"] == {"n": 1}
            b = await c.token_create(type=kind, coord_x=(spot + 5.0,) + (0.0,) * 7)
            d = await c.token_create(type=kind)

            got = await c.token_get(a["token_id"])
            assert got["token_id"] == a["token_id"] and got["coordinates"]["x"][0] == spot
            assert got["version"] == 1
            assert await c.token_get("00000000-0000-4000-8000-000000000000") is None

            listed = await c.token_list(limit=2, offset=0, type=kind)
            assert listed["total"] == 3 and listed["count"] == 2 and listed["offset"] == 0
            assert [t["token_id"] for t in listed["tokens"]] == [a["token_id"], b["token_id"]]
            rest = await c.token_list(limit=2, offset=2, type=kind)
            assert [t["token_id"] for t in rest["tokens"]] == [d["token_id"]]

            updated = await c.token_update(a["token_id"], weight=2.5, metadata={"n": 2}, expected_version=1)
            assert updated["version"] == 2 and updated["weight"] == 2.5 and updated["metadata"] == {"n": 2}

            assert await c.token_count(type=kind) == {"count": 3, "type": kind}

            found = await c.token_search(0, {"x": spot - 0.5, "y": -0.1, "z": -0.1}, (spot + 0.5, 0.1, 0.1),
                                         limit=100)
            found_ids = {t["token_id"] for t in found["tokens"]}
            assert a["token_id"] in found_ids and b["token_id"] not in found_ids
            assert found["count"] == len(found["tokens"])

            edge = await c.graph_connect(a["token_id"], b["token_id"], type="rel", weight=0.5)
            assert (edge["source_id"], edge["target_id"], edge["type"], edge["weight"]) == (
                a["token_id"], b["token_id"], "rel", 0.5)
            await c.graph_connect(b["token_id"], d["token_id"], type="rel")

            out = await c.graph_neighbors(a["token_id"], direction="outgoing")
            assert out["count"] == 1 and out["neighbors"][0]["connection_id"] == edge["connection_id"]
            assert (await c.graph_neighbors(a["token_id"], direction="incoming"))["count"] == 0

            path = await c.graph_path(a["token_id"], d["token_id"], max_depth=3)
            assert path["paths"] == [[a["token_id"], b["token_id"], d["token_id"]]]

            degree = await c.graph_degree(b["token_id"])
            assert (degree["in_degree"], degree["out_degree"], degree["total_degree"]) == (1, 1, 2)

            stats = await c.graph_stats()
            assert stats["total_nodes"] >= 3 and stats["total_edges"] >= 2

            gone = await c.graph_disconnect(edge["connection_id"])
            assert gone["connection_id"] == edge["connection_id"] and gone["reason"] == "requested"
            assert (await c.graph_degree(a["token_id"]))["total_degree"] == 0

            deleted = await c.token_delete(d["token_id"])
            assert deleted == {"token_id": d["token_id"]}
            assert await c.token_get(d["token_id"]) is None

            sub = await c.subscribe("token:" + a["token_id"].upper())
            assert sub["success"] is True and sub["topic"] == "token:" + a["token_id"] and sub["cursor"]
            assert "token:" + a["token_id"] in c.subscriptions
            unsub = await c.unsubscribe("token:" + a["token_id"])
            assert unsub["success"] is True and "token:" + a["token_id"] not in c.subscriptions

            if AUTH_MODE == "jwt":
                fresh = make_jwt(subject, ttl=600)
                authenticated = await c.auth(fresh)
                assert authenticated["subject"] == subject
                assert abs(authenticated["expires_at"] / 1000 - (time.time() + 600)) < 120
                again = make_jwt(subject, ttl=900)
                assert (await c.refresh_token(again))["subject"] == subject and c.token == again
            else:
                authenticated = await c.auth("any-token")  # auth mode none: anonymous, not inspected
                assert authenticated == {"subject": "anonymous", "expires_at": None}
                assert await c.refresh_token("another") == authenticated and c.token == "another"
            assert c.auth_info["subject"] == authenticated["subject"]  # the last authenticated payload

    run(scenario())


def test_error_replies_raise_typed_exceptions_with_code_and_details(stack):
    async def scenario():
        kind = unique("err")
        async with client(stack.ws_url) as c:
            with pytest.raises(ValidationFailedError) as caught:
                await c.token_create(type=kind, weight=-1)
            err = caught.value
            assert err.code == "VALIDATION_FAILED" and err.message
            assert {"field": "weight", "problem": "must be a finite number >= 0"} in err.details
            assert err.original_message_id and err.envelope["type"] == "error"

            with pytest.raises(ValidationFailedError) as caught:
                await c.token_create(coord_x=[1.0, 2.0])  # not 8 numbers
            assert any(d["field"] == "coord_x" for d in caught.value.details)

            missing = "00000000-0000-4000-8000-000000000001"
            with pytest.raises(NotFoundError) as caught:
                await c.token_update(missing, weight=1.0)
            assert caught.value.code == "NOT_FOUND"

            a = await c.token_create(type=kind)
            b = await c.token_create(type=kind)
            with pytest.raises(ConflictError):
                await c.token_update(a["token_id"], weight=3.0, expected_version=7)
            await c.graph_connect(a["token_id"], b["token_id"], type="dup")
            with pytest.raises(ConflictError) as caught:
                await c.graph_connect(a["token_id"], b["token_id"], type="dup")
            assert caught.value.code == "CONFLICT"

            with pytest.raises(UnknownTopicError) as caught:
                await c.subscribe("no-such-topic")
            assert caught.value.code == "UNKNOWN_TOPIC"

            with pytest.raises(ServerError) as caught:
                await c.request("token.fly", {})
            assert caught.value.code == "UNKNOWN_TYPE"

            # errors never close the connection
            assert c.state == State.CONNECTED and (await c.ping())["message_id"]

    run(scenario())


def test_request_times_out_when_no_reply_comes_and_is_forgotten(stack):
    async def scenario():
        async with Relay(stack.ws_url) as relay:
            c = client(relay.ws_url, heartbeat_interval=None, auto_reconnect=False)
            await c.connect()
            try:
                relay.freeze()  # the gateway never sees the request
                loop = asyncio.get_running_loop()
                started = loop.time()
                with pytest.raises(RequestTimeoutError) as caught:
                    await c.token_count(timeout=0.5)
                elapsed = loop.time() - started
                assert caught.value.message_type == "token.count" and caught.value.timeout == 0.5
                assert isinstance(caught.value, asyncio.TimeoutError)
                assert 0.5 <= elapsed < WAIT
                assert c.pending_requests == 0 and c.queued_messages == 0
            finally:
                relay.cut()  # no closing handshake through a frozen link
                await c.disconnect()

    run(scenario())


def test_send_keeps_the_original_fire_and_forget_shape_and_handlers_see_replies(stack):
    class Recording(NeuroGraphWebSocketClient):
        def __init__(self, url):
            super().__init__(url, **auth_options())
            self.received = []

        async def _handle_message(self, message):  # the original client's extension point
            self.received.append(message)
            await super()._handle_message(message)

    async def scenario():
        c = Recording(stack.ws_url)
        by_type, every = [], []
        c.on("pong", by_type.append)
        c.on("*", every.append)
        await c.connect()
        try:
            assert c.received[0]["type"] == "connection.established"
            message_id = await c.send("ping")
            await wait_until(lambda: any(m.get("correlation_id") == message_id for m in by_type),
                             what="the pong of a fire-and-forget ping")
            assert by_type[-1]["payload"]["message_id"] == message_id
            assert any(m.get("correlation_id") == message_id for m in c.received)
            assert any(m.get("correlation_id") == message_id for m in every)

            async def async_handler(message):
                by_type.append(("async", message["correlation_id"]))

            c.off("pong")
            c.on("pong", async_handler)
            reply = await c.ping()
            await wait_until(lambda: ("async", reply["message_id"]) in by_type, what="the async handler")
        finally:
            await c.disconnect()

    run(scenario())


def test_requests_run_concurrently_beyond_the_in_flight_window(stack):
    async def scenario():
        kind = unique("many")
        async with client(stack.ws_url, max_in_flight=4) as c:
            peak = 0

            async def sample():
                nonlocal peak
                while True:
                    peak = max(peak, c.in_flight_requests)
                    await asyncio.sleep(0)

            sampler = asyncio.ensure_future(sample())
            created = await asyncio.gather(*(c.token_create(type=kind, metadata={"i": i}) for i in range(12)))
            sampler.cancel()
            assert peak == 4  # the window filled, and never went beyond
            assert c.in_flight_requests == 0 and c.queued_messages == 0
            assert sorted(t["metadata"]["i"] for t in created) == list(range(12))
            assert len({t["token_id"] for t in created}) == 12
            assert (await c.token_count(type=kind))["count"] == 12

    run(scenario())
