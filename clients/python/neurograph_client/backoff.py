"""Reconnect delays: exponential backoff with jitter."""

from __future__ import annotations

import random
from typing import Callable, Optional

__all__ = ["backoff_delay"]


def backoff_delay(
    attempt: int,
    base: float = 0.5,
    cap: float = 30.0,
    jitter: float = 0.5,
    rand: Optional[Callable[[], float]] = None,
) -> float:
    """Delay before reconnect ``attempt`` (1, 2, ...): ``min(cap, base * 2**(attempt-1))``, minus a
    random share of at most ``jitter`` of it, so many clients dropped at once do not come back in step.

    With ``jitter=0.5`` the delay is uniform in ``[d/2, d]``; with ``0`` it is exactly ``d``.
    """
    if attempt < 1:
        raise ValueError("attempt starts at 1")
    if base < 0 or cap < 0:
        raise ValueError("delays must be >= 0")
    if not 0.0 <= jitter <= 1.0:
        raise ValueError("jitter must be within [0, 1]")
    # 2**attempt overflows float for huge attempts; cap the exponent first.
    exponent = min(attempt - 1, 62)
    delay = min(cap, base * (2.0 ** exponent))
    r = (rand or random.random)()
    return delay * (1.0 - jitter * r)
