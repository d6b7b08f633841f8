"""Where a change comes from: a page, or what ran it (see :func:`dvpp.audit.audit_change`).

Kept apart from :mod:`dvpp.audit` so that the middleware (loaded with the logging settings,
before the models) can set it."""

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Origin:
    """What is making changes now: a page (with its address and request id), or what ran them
    (a command, a scheduled task, an import, the admin site). Services read it when they write
    their audit row, so a change is recorded the same way whichever way it came."""

    via: str = "system"
    ip: str | None = None
    request_id: str = ""


_origin: contextvars.ContextVar[Origin] = contextvars.ContextVar("audit_origin", default=Origin())  # noqa: B039 (frozen)


def current_origin() -> Origin:
    return _origin.get()


@contextmanager
def origin(via: str | None = None, **values) -> Iterator[Origin]:
    """Changes made inside are recorded as coming from ``via`` (``"web"`` for a page, set by
    :class:`dvpp.middleware.RequestIdMiddleware`; ``"command:import_referrals"``,
    ``"task:participants.apply_retention"``, ``"admin"``). Nested, the inner one wins."""
    changes = dict(values)
    if via is not None:
        changes["via"] = via[:60]
    token = _origin.set(replace(_origin.get(), **changes))
    try:
        yield _origin.get()
    finally:
        _origin.reset(token)
