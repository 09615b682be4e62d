"""Against the real gateway in auth mode jwt: every way of passing the token, scopes, in-band refresh,
expiry. Skipped when the platform runs in mode none (NEUROGRAPH_TEST_AUTH=none)."""

from __future__ import annotations

import pytest

from neurograph_client import (
    ForbiddenError,
    HandshakeRejectedError,
    NeuroGraphWebSocketClient,
    State,
    UnauthenticatedError,
)
from support import AUTH_MODE, WAIT, Recorder, Relay, make_jwt, run, unique, wait_until

pytestmark = pytest.mark.skipif(AUTH_MODE != "jwt", reason="the platform is not in auth mode jwt")


def client(url: str, **options) -> NeuroGraphWebSocketClient:
    options.setdefault("request_timeout", WAIT)
    options.setdefault("reconnect_delay", 0.1)
    options.setdefault("max_reconnect_delay", 1.0)
    return NeuroGraphWebSocketClient(url, **options)


@pytest.mark.parametrize("via", ["query", "header", "auth", "both"])
def test_token_is_accepted_however_it_is_passed(stack, via):
    async def scenario():
        subject = unique("sub")
        c = client(stack.ws_url, token=make_jwt(subject), token_via=via)
        await c.connect()
        try:
            assert c.connected
            assert "count" in await c.token_count()
            if via in ("auth", "both"):  # the auth frame went out first, and was answered
                assert c.auth_info["subject"] == subject
            else:
                assert c.auth_info is None
            assert ("access_token=" in c.connect_url(c.token)) == (via in ("query", "both"))
        finally:
            await c.disconnect()

    run(scenario())


def test_missing_or_bad_tokens_are_refused(stack):
    async def scenario():
        bad = client(stack.ws_url, token=make_jwt("x", secret="another-secret-of-at-least-32-bytes!"))
        with pytest.raises(HandshakeRejectedError) as caught:
            await bad.connect()
        assert caught.value.status == 401 and bad.state == State.CLOSED

        anonymous = client(stack.ws_url, auto_reconnect=False)
        await anonymous.connect()  # opens unauthenticated; only ping and auth are allowed
        try:
            assert (await anonymous.ping())["message_id"]
            with pytest.raises(UnauthenticatedError) as caught:
                await anonymous.token_count()
            assert caught.value.code == "UNAUTHENTICATED"
            subject = unique("late")
            assert (await anonymous.auth(make_jwt(subject)))["subject"] == subject
            assert "count" in await anonymous.token_count()
        finally:
            await anonymous.disconnect()

    run(scenario())


def test_scopes_limit_what_a_client_may_do(stack):
    async def scenario():
        reader = client(stack.ws_url, token=make_jwt(unique("reader"), scope="tokens:read"))
        await reader.connect()
        try:
            assert "count" in await reader.token_count()
            await reader.subscribe("tokens")
            with pytest.raises(ForbiddenError) as caught:
                await reader.token_create(type="nope")
            assert caught.value.code == "FORBIDDEN" and "tokens:write" in caught.value.message
            with pytest.raises(ForbiddenError):
                await reader.subscribe("graph")
            assert reader.connected
        finally:
            await reader.disconnect()

    run(scenario())


def test_refresh_replaces_the_token_in_band_and_for_reconnects(stack):
    async def scenario():
        subject = unique("refresh")
        async with Relay(stack.ws_url) as relay:
            c = client(relay.ws_url, token=make_jwt(subject))
            await c.connect()
            try:
                kind = unique("rf")
                await c.token_create(type=kind)  # allowed with every scope
                narrower = make_jwt(subject, scope="tokens:read", ttl=1800)
                reply = await c.refresh_token(narrower)
                assert reply["subject"] == subject and c.token == narrower
                with pytest.raises(ForbiddenError):  # the new token's scopes apply at once
                    await c.token_create(type=kind)
                with pytest.raises(UnauthenticatedError):  # another subject: refused, nothing changes
                    await c.refresh_token(make_jwt(unique("other")))
                assert (await c.token_count(type=kind))["count"] == 1

                relay.cut()  # the reconnect uses the refreshed token (query parameter)
                await wait_until(lambda: c.reconnects == 1 and c.connected, what="the reconnect")
                assert "access_token=" + narrower in c.connect_url(c.token)
                with pytest.raises(ForbiddenError):  # so the new connection has the narrower scopes
                    await c.token_create(type=kind)
            finally:
                await c.disconnect()

    run(scenario())


def test_expired_token_closes_4001_and_the_provider_supplies_a_fresh_one(stack):
    async def scenario():
        subject = unique("expiry")
        issued = []

        def provider():
            ttl = 2.0 if not issued else 3600.0  # the first token expires almost at once
            issued.append(make_jwt(subject, ttl=ttl))
            return issued[-1]

        c = client(stack.ws_url, token_provider=provider)
        life = Recorder(c, ["disconnected", "resubscribed"])
        await c.connect()
        try:
            await c.subscribe("tokens")
            await wait_until(lambda: life.count("disconnected") == 1, timeout=WAIT,
                             what="the server to close the connection when the token expires")
            assert life.infos("disconnected")[0]["code"] == 4001
            await c.wait_connected(timeout=WAIT)
            assert len(issued) >= 2 and c.token == issued[-1]
            assert [i["resumed"] for i in life.infos("resubscribed")] == [True]
            assert "count" in await c.token_count()
        finally:
            await c.disconnect()

    run(scenario())
