"""The few places where websockets releases differ (10.x legacy client ... 14+ asyncio client)."""

from __future__ import annotations

import inspect
from typing import Any, Dict, Mapping, Optional, Tuple

import websockets
from websockets.exceptions import ConnectionClosed

from .errors import HandshakeRejectedError

__all__ = ["open_websocket", "close_info", "abort", "ConnectionClosed", "handshake_status"]


def _connect_parameters() -> Tuple[str, ...]:
    try:
        return tuple(inspect.signature(websockets.connect).parameters)
    except (TypeError, ValueError):  # pragma: no cover - exotic builds
        return ()


_PARAMS = _connect_parameters()
# websockets <= 13 (legacy client): extra_headers; the asyncio client of 14+: additional_headers.
_HEADERS_KW = "additional_headers" if "additional_headers" in _PARAMS else "extra_headers"


def handshake_status(exc: BaseException) -> Optional[int]:
    """The HTTP status of a refused handshake, for either generation of websockets' exceptions."""
    status = getattr(exc, "status_code", None)  # legacy InvalidStatusCode
    if status is None:
        response = getattr(exc, "response", None)  # InvalidStatus (10.x new API, 14+)
        status = getattr(response, "status_code", None)
    return status if isinstance(status, int) else None


async def open_websocket(
    url: str,
    *,
    headers: Optional[Mapping[str, str]] = None,
    open_timeout: Optional[float] = 10.0,
    max_size: Optional[int] = 32 * 1024 * 1024,
    close_timeout: Optional[float] = 5.0,
) -> Any:
    """Opens a client connection without websockets' own keepalive pings (the client has its own
    application-level heartbeat; the server's ping frames are still answered automatically)."""
    kwargs: Dict[str, Any] = {
        "open_timeout": open_timeout,
        "ping_interval": None,
        "max_size": max_size,
        "close_timeout": close_timeout,
    }
    if headers:
        kwargs[_HEADERS_KW] = dict(headers)
    try:
        return await websockets.connect(url, **kwargs)
    except Exception as exc:
        status = handshake_status(exc)
        if status is not None:
            raise HandshakeRejectedError(status) from exc
        raise


def close_info(ws: Any, exc: Optional[BaseException] = None) -> Tuple[int, str]:
    """(code, reason) of a closed connection; 1006 when no close frame was received."""
    frame = getattr(exc, "rcvd", None) if exc is not None else None
    if frame is not None:
        return int(frame.code), str(frame.reason or "")
    code = getattr(ws, "close_code", None)
    reason = getattr(ws, "close_reason", None)
    if code is None:
        return 1006, ""
    return int(code), str(reason or "")


def abort(ws: Any) -> None:
    """Drops the TCP connection at once, without a closing handshake."""
    transport = getattr(ws, "transport", None)
    if transport is not None:
        transport.abort()
