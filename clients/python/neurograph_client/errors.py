"""Exceptions raised by :mod:`neurograph_client`.

Every exception derives from :class:`NeuroGraphError`. An ``error`` reply from the gateway becomes a
:class:`ServerError` (or the subclass for its ``code``), carrying ``code``, ``message``, ``details``,
``retry_after_ms`` and ``original_message_id`` exactly as the server sent them (protocol §3).
"""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional, Type

__all__ = [
    "NeuroGraphError",
    "NotConnectedError",
    "ConnectionLostError",
    "ReconnectFailedError",
    "HandshakeRejectedError",
    "ProtocolError",
    "UnexpectedReplyError",
    "RequestTimeoutError",
    "QueueFullError",
    "EventStreamClosed",
    "ServerError",
    "InvalidJsonError",
    "InvalidEnvelopeError",
    "UnknownTypeError",
    "ValidationFailedError",
    "NotFoundError",
    "ConflictError",
    "RateLimitedError",
    "LimitExceededError",
    "UnsupportedFrameError",
    "UnauthenticatedError",
    "ForbiddenError",
    "UnknownTopicError",
    "ServerTimeoutError",
    "UnavailableError",
    "InternalServerError",
    "PayloadTooLargeError",
    "error_class_for",
]


class NeuroGraphError(Exception):
    """Base class of every exception of this library."""


class NotConnectedError(NeuroGraphError, RuntimeError):
    """The client is not connected: ``connect()`` was not called, or ``disconnect()`` was.

    It is a :class:`RuntimeError` too, which is what the original client raised (``"Not connected"``).
    """


class ConnectionLostError(NeuroGraphError, ConnectionError):
    """The connection dropped while an internal request (heartbeat ping, resubscription) waited."""


class ReconnectFailedError(NeuroGraphError, ConnectionError):
    """The client gave up reconnecting (attempt limit reached, or the handshake was refused for good).

    ``cause`` is the last error seen, when there was one.
    """

    def __init__(self, message: str, cause: Optional[BaseException] = None) -> None:
        super().__init__(message)
        self.cause = cause


class HandshakeRejectedError(NeuroGraphError, ConnectionError):
    """The server refused the WebSocket handshake with an HTTP status (400, 401, 403, 503, ...)."""

    def __init__(self, status: int, message: Optional[str] = None) -> None:
        super().__init__(message or f"WebSocket handshake refused with HTTP {status}")
        self.status = status

    @property
    def retryable(self) -> bool:
        """``True`` for statuses another attempt may get past (503, other 5xx, 429)."""
        return self.status >= 500 or self.status == 429


class ProtocolError(NeuroGraphError):
    """The server sent something this client cannot make sense of."""


class UnexpectedReplyError(ProtocolError):
    """A request helper got a reply of a type it does not expect for that request."""

    def __init__(self, request_type: str, reply: Dict[str, Any]) -> None:
        super().__init__(f"unexpected reply {reply.get('type')!r} to {request_type!r}")
        self.request_type = request_type
        self.reply = reply


class RequestTimeoutError(NeuroGraphError, asyncio.TimeoutError):
    """No reply arrived within the request's timeout (client side; the server's own is ``TIMEOUT``)."""

    def __init__(self, message_type: str, message_id: str, timeout: float) -> None:
        super().__init__(f"no reply to {message_type} {message_id!r} within {timeout:g} s")
        self.message_type = message_type
        self.message_id = message_id
        self.timeout = timeout


class QueueFullError(NeuroGraphError):
    """The bounded send queue is full; the message was not accepted."""


class EventStreamClosed(NeuroGraphError):
    """The client is closed and every event it had received has been taken."""


class ServerError(NeuroGraphError):
    """An ``error`` reply from the gateway (protocol §3).

    Attributes:
        code: the error code, e.g. ``"VALIDATION_FAILED"``.
        message: the human-readable message.
        details: ``[{"field", "problem"}, ...]`` for ``VALIDATION_FAILED``, else usually ``None``.
        retry_after_ms: for ``RATE_LIMITED``: when to try again.
        original_message_id: the id of the request that caused it.
        envelope: the whole ``error`` message as received.
    """

    code: str = ""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        details: Optional[List[Dict[str, Any]]] = None,
        retry_after_ms: Optional[int] = None,
        original_message_id: Optional[str] = None,
        envelope: Optional[Dict[str, Any]] = None,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.details = details
        self.retry_after_ms = retry_after_ms
        self.original_message_id = original_message_id
        self.envelope = envelope

    @classmethod
    def from_envelope(cls, envelope: Dict[str, Any]) -> "ServerError":
        """Builds the exception matching an ``error`` message's code."""
        payload = envelope.get("payload")
        if not isinstance(payload, dict):
            payload = {}
        code = str(payload.get("code") or "UNKNOWN")
        klass = error_class_for(code)
        return klass(
            code,
            str(payload.get("message") or ""),
            details=payload.get("details"),
            retry_after_ms=payload.get("retry_after_ms"),
            original_message_id=payload.get("original_message_id"),
            envelope=envelope,
        )


class InvalidJsonError(ServerError):
    """``INVALID_JSON``"""


class InvalidEnvelopeError(ServerError):
    """``INVALID_ENVELOPE``"""


class UnknownTypeError(ServerError):
    """``UNKNOWN_TYPE``"""


class ValidationFailedError(ServerError):
    """``VALIDATION_FAILED``: ``details`` lists every problem."""


class NotFoundError(ServerError):
    """``NOT_FOUND``"""


class ConflictError(ServerError):
    """``CONFLICT``"""


class RateLimitedError(ServerError):
    """``RATE_LIMITED``: see ``retry_after_ms``."""


class LimitExceededError(ServerError):
    """``LIMIT_EXCEEDED``"""


class UnsupportedFrameError(ServerError):
    """``UNSUPPORTED_FRAME``"""


class UnauthenticatedError(ServerError):
    """``UNAUTHENTICATED``"""


class ForbiddenError(ServerError):
    """``FORBIDDEN``"""


class UnknownTopicError(ServerError):
    """``UNKNOWN_TOPIC``"""


class ServerTimeoutError(ServerError):
    """``TIMEOUT``: the owning service did not answer in time (a command may still take effect)."""


class UnavailableError(ServerError):
    """``UNAVAILABLE``: not accepted; retry with the same id."""


class InternalServerError(ServerError):
    """``INTERNAL``"""


class PayloadTooLargeError(ServerError):
    """``PAYLOAD_TOO_LARGE`` (reserved by the protocol)."""


_BY_CODE: Dict[str, Type[ServerError]] = {
    "INVALID_JSON": InvalidJsonError,
    "INVALID_ENVELOPE": InvalidEnvelopeError,
    "UNKNOWN_TYPE": UnknownTypeError,
    "VALIDATION_FAILED": ValidationFailedError,
    "NOT_FOUND": NotFoundError,
    "CONFLICT": ConflictError,
    "RATE_LIMITED": RateLimitedError,
    "LIMIT_EXCEEDED": LimitExceededError,
    "UNSUPPORTED_FRAME": UnsupportedFrameError,
    "UNAUTHENTICATED": UnauthenticatedError,
    "FORBIDDEN": ForbiddenError,
    "UNKNOWN_TOPIC": UnknownTopicError,
    "TIMEOUT": ServerTimeoutError,
    "UNAVAILABLE": UnavailableError,
    "INTERNAL": InternalServerError,
    "PAYLOAD_TOO_LARGE": PayloadTooLargeError,
}


def error_class_for(code: str) -> Type[ServerError]:
    """The :class:`ServerError` subclass for an error code (``ServerError`` itself for unknown codes)."""
    return _BY_CODE.get(code, ServerError)
