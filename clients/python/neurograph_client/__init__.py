"""Python client of the NeuroGraph streaming platform's WebSocket gateway (protocol v1).

    from neurograph_client import NeuroGraphWebSocketClient

    async with NeuroGraphWebSocketClient("ws://localhost:8000/ws") as client:
        await client.subscribe("tokens")
        token = await client.token_create(type="demo", weight=1.5)
        event = await client.next_event(timeout=10)
"""

from .backoff import backoff_delay
from .client import DEFAULT_URL, EXPECTED_REPLIES, NeuroGraphWebSocketClient, State, normalize_topic
from .errors import *  # noqa: F401,F403 - the exception classes are part of the API
from .errors import __all__ as _error_names
from .events import BLOCK, DROP_OLDEST, EventQueue

__version__ = "1.0.0"

__all__ = [
    "NeuroGraphWebSocketClient",
    "DEFAULT_URL",
    "EXPECTED_REPLIES",
    "State",
    "EventQueue",
    "BLOCK",
    "DROP_OLDEST",
    "backoff_delay",
    "normalize_topic",
    "__version__",
    *_error_names,
]
