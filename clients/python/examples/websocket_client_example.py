#!/usr/bin/env python3
"""NeuroGraph WebSocket client example: a scripted ``demo`` and an ``interactive`` prompt.

    python3 websocket_client_example.py [demo|interactive] [--url ws://localhost:8000/ws]

demo         connects, pings, subscribes to ``tokens`` and ``graph``, creates two tokens, reads,
             lists and updates one, connects them in the graph, asks for the neighbors, and shows the
             events the subscriptions delivered. ``--stay`` keeps listening until Ctrl-C.
interactive  a small command prompt (``help`` lists the commands). It reads standard input, so it
             also runs from a pipe:  printf 'ping\\ntoken.create\\ntoken.get $last\\n' | python3 ...

The client class is :class:`neurograph_client.NeuroGraphWebSocketClient`, re-exported here under the
name the original example used, so ``from websocket_client_example import NeuroGraphWebSocketClient``
keeps working.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shlex
import sys
from typing import Any, Dict, List, Optional

try:
    from neurograph_client import (
        DEFAULT_URL,
        EventStreamClosed,
        NeuroGraphError,
        NeuroGraphWebSocketClient,
        ServerError,
    )
except ImportError:  # running from a checkout without installing the package
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    from neurograph_client import (  # noqa: E402
        DEFAULT_URL,
        EventStreamClosed,
        NeuroGraphError,
        NeuroGraphWebSocketClient,
        ServerError,
    )

__all__ = ["NeuroGraphWebSocketClient", "demo", "interactive_mode", "main"]


def say(*parts: Any) -> None:
    print(*parts, flush=True)


def compact(value: Any, limit: int = 300) -> str:
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe_event(event: Dict[str, Any]) -> str:
    payload = event.get("payload") or {}
    kind = event.get("type")
    if kind == "subscribed":  # a resumed subscription after a reconnect
        return f"resubscribed {payload.get('topic')} resumed={payload.get('resumed')}"
    if kind in ("graph.connected", "graph.disconnected"):
        detail = f"{payload.get('source_id')} -> {payload.get('target_id')} ({payload.get('connection_id')})"
    elif "token_id" in payload:
        detail = f"{payload.get('token_id')}"
        if "version" in payload:
            detail += f" v{payload['version']}"
    else:
        detail = compact(payload, 120)
    return f"[{event.get('topic', '-')}] {kind} {detail}"


def make_client(args: argparse.Namespace) -> NeuroGraphWebSocketClient:
    return NeuroGraphWebSocketClient(
        args.url,
        client_id=args.client_id,
        token=args.token,
        request_timeout=args.timeout,
    )


async def connect_or_explain(client: NeuroGraphWebSocketClient) -> bool:
    say(f"Connecting to {client.url} ...")
    try:
        await client.connect()
    except (OSError, asyncio.TimeoutError, NeuroGraphError) as exc:
        say(f"x Could not connect: {exc or type(exc).__name__}")
        say("  Is the platform running?  java -jar devstack/target/neurograph-devstack.jar")
        return False
    say(f"OK connected: connection_id={client.connection_id} client_id={client.client_id}")
    return True


# --------------------------------------------------------------------------- demo

async def demo(args: argparse.Namespace) -> int:
    client = make_client(args)
    if not await connect_or_explain(client):
        return 2
    try:
        say("\n1. Heartbeat")
        pong = await client.ping()
        say(f"<- pong message_id={pong['message_id']}")

        say("\n2. Subscribing to topics")
        for topic in ("tokens", "graph"):
            sub = await client.subscribe(topic)
            say(f"<- subscribed {sub['topic']} cursor={sub['cursor'][:24]}...")

        say("\n3. Creating tokens")
        first = await client.token_create(
            type="demo", coord_x=[1.0] + [0.0] * 7, coord_y=[0.0] * 8, coord_z=[0.0] * 8, weight=1.0,
            metadata={"example": "demo"},
        )
        say(f"<- token.created {first['token_id']} v{first['version']}")
        second = await client.token_create(
            type="demo", coord_x=[2.0] + [0.0] * 7, coord_y=[1.0] + [0.0] * 7, coord_z=[0.0] * 8, weight=1.5,
            metadata={"example": "demo"},
        )
        say(f"<- token.created {second['token_id']} v{second['version']}")

        say("\n4. Reading a token")
        data = await client.token_get(first["token_id"])
        say(f"<- token.data {data['token_id']} type={data['type']} weight={data['weight']} "
            f"x={data['coordinates']['x'][:2]}...")

        say("\n5. Listing tokens")
        listed = await client.token_list(limit=5, type="demo")
        say(f"<- token.list count={listed['count']} total={listed.get('total')}")
        for token in listed["tokens"][:3]:
            say(f"     - {token['token_id'][:8]}... ({token['type']}, weight {token['weight']})")

        say("\n6. Updating a token")
        updated = await client.token_update(first["token_id"], weight=2.5, expected_version=first["version"])
        say(f"<- token.updated {updated['token_id']} v{updated['version']} weight={updated['weight']}")

        say("\n7. Connecting the tokens in the graph")
        edge = await client.graph_connect(first["token_id"], second["token_id"], type="demo", weight=0.8)
        say(f"<- graph.connected {edge['source_id'][:8]}... -> {edge['target_id'][:8]}... "
            f"connection_id={edge['connection_id']}")
        neighbors = await client.graph_neighbors(first["token_id"])
        say(f"<- graph.neighbors of {first['token_id'][:8]}...: {neighbors['count']} neighbor(s)")
        for n in neighbors["neighbors"]:
            say(f"     - {n['source_id'][:8]}... -> {n['target_id'][:8]}... ({n['type']}, weight {n['weight']})")

        say("\n8. Events delivered by the subscriptions")
        wanted = {
            ("tokens", "token.created", first["token_id"]),
            ("tokens", "token.created", second["token_id"]),
            ("tokens", "token.updated", first["token_id"]),
            ("graph", "graph.connected", edge["connection_id"]),
        }
        seen = 0
        while wanted:
            try:
                event = await client.next_event(timeout=args.timeout)
            except asyncio.TimeoutError:
                say(f"x {len(wanted)} expected event(s) did not arrive within {args.timeout:g} s")
                return 1
            payload = event.get("payload") or {}
            key = (event.get("topic"), event.get("type"),
                   payload.get("connection_id") if event.get("topic") == "graph" else payload.get("token_id"))
            wanted.discard(key)
            seen += 1
            say(f"<= event {describe_event(event)} cursor={str(event.get('cursor'))[:16]}...")
        say(f"OK all expected events received ({seen} event(s))")

        if args.stay:
            say("\n9. Listening for more events (Ctrl-C to stop) ...")
            async for event in client.events():
                say(f"<= event {describe_event(event)}")
        return 0
    except ServerError as exc:
        say(f"x error {exc.code}: {exc.message}")
        return 1
    finally:
        await client.disconnect()
        say("OK disconnected")


# --------------------------------------------------------------------------- interactive

HELP = """Commands (ids may be written $last / $prev: the last two token ids created here):
  ping                                   heartbeat
  subscribe <topic> [since]              tokens | graph | system | token:<id>
  unsubscribe <topic>
  token.create [type] [weight]           a token with x = (1, 0, ..., 0)
  token.get <id>
  token.list [limit] [offset] [type]
  token.update <id> key=value ...        weight=2 type=t flags=1 metadata={"a":1} expected_version=1
  token.delete <id>
  token.count [type]
  token.search <level> <x,y,z> <x,y,z> [limit]
  graph.connect <source> <target> [type]
  graph.neighbors <id> [direction]       both | incoming | outgoing
  graph.disconnect <connection_id>
  graph.path <source> <target> [max_depth]
  graph.degree <id>
  graph.stats
  send <type> [json payload]             any message, reply shown as it arrives
  wait-events <n> [seconds]              wait until n events have been shown
  help | quit | exit                     (end of input quits too)"""


class Interactive:
    def __init__(self, client: NeuroGraphWebSocketClient, timeout: float) -> None:
        self.client = client
        self.timeout = timeout
        self.created: List[str] = []
        self.events_shown = 0
        self.event_arrived = asyncio.Event()

    def resolve(self, word: str) -> str:
        if word == "$last" and self.created:
            return self.created[-1]
        if word == "$prev" and len(self.created) > 1:
            return self.created[-2]
        return word

    async def show_events(self) -> None:
        try:
            async for event in self.client.events():
                self.events_shown += 1
                say(f"<= event {describe_event(event)}")
                self.event_arrived.set()
        except EventStreamClosed:
            pass

    async def wait_events(self, count: int, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while self.events_shown < count:
            remaining = deadline - loop.time()
            if remaining <= 0:
                say(f"x only {self.events_shown} event(s) within {seconds:g} s")
                return
            self.event_arrived.clear()
            try:
                await asyncio.wait_for(self.event_arrived.wait(), remaining)
            except asyncio.TimeoutError:
                pass
        say(f"OK {self.events_shown} event(s) shown")

    async def run_command(self, line: str) -> bool:
        """Runs one command line; returns False to quit."""
        try:
            words = [self.resolve(w) for w in shlex.split(line)]
        except ValueError as exc:
            say(f"x {exc}")
            return True
        if not words:
            return True
        command, rest = words[0], words[1:]
        c = self.client
        if command in ("quit", "exit"):
            return False
        if command == "help":
            say(HELP)
            return True
        try:
            if command == "ping":
                say(f"<- pong {compact(await c.ping())}")
            elif command == "subscribe" and rest:
                sub = await c.subscribe(rest[0], rest[1] if len(rest) > 1 else None)
                say(f"<- subscribed {sub['topic']} cursor={sub['cursor']}"
                    + (f" resumed={sub['resumed']}" if "resumed" in sub else ""))
            elif command == "unsubscribe" and rest:
                say(f"<- unsubscribed {(await c.unsubscribe(rest[0]))['topic']}")
            elif command == "token.create":
                token = await c.token_create(
                    type=rest[0] if rest else "interactive",
                    weight=float(rest[1]) if len(rest) > 1 else 1.0,
                    coord_x=[1.0] + [0.0] * 7,
                )
                self.created.append(token["token_id"])
                say(f"<- token.created {token['token_id']} v{token['version']} type={token['type']}")
            elif command == "token.get" and rest:
                data = await c.token_get(rest[0])
                say(f"<- token.not_found {rest[0]}" if data is None else f"<- token.data {compact(data)}")
            elif command == "token.list":
                listed = await c.token_list(
                    limit=int(rest[0]) if rest else 10,
                    offset=int(rest[1]) if len(rest) > 1 else None,
                    type=rest[2] if len(rest) > 2 else None,
                )
                say(f"<- token.list count={listed['count']} total={listed.get('total')}")
                for token in listed["tokens"]:
                    say(f"     - {token['token_id']} ({token['type']}, weight {token['weight']})")
            elif command == "token.update" and len(rest) > 1:
                fields: Dict[str, Any] = {}
                for pair in rest[1:]:
                    key, _, value = pair.partition("=")
                    fields[key] = json.loads(value) if key != "type" else value
                token = await c.token_update(rest[0], **fields)
                say(f"<- token.updated {token['token_id']} v{token['version']} {compact(token, 200)}")
            elif command == "token.delete" and rest:
                say(f"<- token.deleted {(await c.token_delete(rest[0]))['token_id']}")
            elif command == "token.count":
                say(f"<- token.count {compact(await c.token_count(rest[0] if rest else None))}")
            elif command == "token.search" and len(rest) >= 3:
                low = [float(v) for v in rest[1].split(",")]
                high = [float(v) for v in rest[2].split(",")]
                found = await c.token_search(int(rest[0]), low, high, int(rest[3]) if len(rest) > 3 else None)
                say(f"<- token.search count={found['count']}")
                for token in found["tokens"]:
                    say(f"     - {token['token_id']} ({token['type']})")
            elif command == "graph.connect" and len(rest) >= 2:
                edge = await c.graph_connect(rest[0], rest[1], type=rest[2] if len(rest) > 2 else "interactive")
                say(f"<- graph.connected {edge['connection_id']} {edge['source_id']} -> {edge['target_id']}")
            elif command == "graph.neighbors" and rest:
                found = await c.graph_neighbors(rest[0], rest[1] if len(rest) > 1 else None)
                say(f"<- graph.neighbors count={found['count']}")
                for n in found["neighbors"]:
                    say(f"     - {n['source_id']} -> {n['target_id']} ({n['type']}, {n['connection_id']})")
            elif command == "graph.disconnect" and rest:
                say(f"<- graph.disconnected {compact(await c.graph_disconnect(rest[0]))}")
            elif command == "graph.path" and len(rest) >= 2:
                found = await c.graph_path(rest[0], rest[1], int(rest[2]) if len(rest) > 2 else None)
                say(f"<- graph.path count={found['count']} paths={compact(found['paths'])}")
            elif command == "graph.degree" and rest:
                say(f"<- graph.degree {compact(await c.graph_degree(rest[0]))}")
            elif command == "graph.stats":
                say(f"<- graph.stats {compact(await c.graph_stats())}")
            elif command == "send" and rest:
                payload = json.loads(" ".join(rest[1:])) if len(rest) > 1 else {}
                reply = await c.request(rest[0], payload)
                say(f"<- {reply.get('type')} {compact(reply.get('payload'))}")
            elif command == "wait-events" and rest:
                await self.wait_events(int(rest[0]), float(rest[1]) if len(rest) > 1 else self.timeout)
            else:
                say(f"Unknown command: {line.strip()}  (help lists the commands)")
        except ServerError as exc:
            say(f"x error {exc.code}: {exc.message}" + (f" {compact(exc.details)}" if exc.details else ""))
        except (NeuroGraphError, asyncio.TimeoutError) as exc:
            say(f"x {type(exc).__name__}: {exc}")
        except (ValueError, TypeError) as exc:
            say(f"x bad arguments: {exc}")
        return True


async def read_line(prompt: bool) -> Optional[str]:
    """One line of standard input without blocking the event loop; None at end of input."""
    if prompt:
        sys.stdout.write(">>> ")
        sys.stdout.flush()
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    return line if line else None


async def interactive_mode(args: argparse.Namespace) -> int:
    client = make_client(args)
    if not await connect_or_explain(client):
        return 2
    shell = Interactive(client, args.timeout)
    printer = asyncio.ensure_future(shell.show_events())
    tty = sys.stdin.isatty()
    say("\n" + "=" * 60)
    say("Interactive WebSocket Client  (help lists the commands)")
    say("=" * 60)
    if tty:
        say(HELP)
    try:
        while True:
            line = await read_line(tty)
            if line is None:
                say("(end of input)")
                break
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if not tty:
                say(f">>> {line.rstrip()}")
            if not await shell.run_command(line):
                break
    finally:
        await client.disconnect()
        await asyncio.gather(printer, return_exceptions=True)
        say("OK disconnected")
    return 0


# --------------------------------------------------------------------------- entry point

def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="NeuroGraph WebSocket test client")
    parser.add_argument("mode", nargs="?", default="demo", choices=["demo", "interactive"],
                        help="demo (default) or interactive")
    parser.add_argument("--url", default=os.environ.get("NEUROGRAPH_WS_URL", DEFAULT_URL),
                        help=f"gateway WebSocket URL (default {DEFAULT_URL}, or $NEUROGRAPH_WS_URL)")
    parser.add_argument("--client-id", default=None, help="client_id to connect with (default: random)")
    parser.add_argument("--token", default=None, help="JWT for a gateway in auth mode jwt")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a reply (default 30)")
    parser.add_argument("--stay", action="store_true", help="demo: keep listening for events until Ctrl-C")
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    say("NeuroGraph - WebSocket Test Client")
    say(f"Running {args.mode} mode...")
    runner = demo if args.mode == "demo" else interactive_mode
    try:
        return asyncio.run(runner(args))
    except KeyboardInterrupt:
        say("\nInterrupted by user")
        return 130


if __name__ == "__main__":
    sys.exit(main())
