"""How a lower layer asks the apps above it to act or contribute, without importing them.

The core and the lower feature apps never import a higher app (docs/development.md, "Layers";
the import contracts in pyproject.toml check it). Where something on a lower layer needs the
higher ones — a man's case closes and partner support must contact her, the case page shows the
consent and evidence panels, a subject-access package gathers every app's sections — the lower
layer calls a :class:`Hook` defined here, and each higher app fills it in its
``AppConfig.ready``::

    # partners/apps.py
    def ready(self):
        from dvpp import hooks
        from . import services

        hooks.risk_event.register(services.risk_event)

    # participants/services.py
    hooks.risk_event.call(participant=man, reason="withdrawn", key=f"exit-{change.pk}")

A hook calls its receivers in the order of ``INSTALLED_APPS``, so what they contribute comes in
a stable order (a caller that needs an order of its own, as the subject-access package does,
sorts what it gets). A receiver's exception is not swallowed: a safety
reaction that fails must fail the change that caused it.

Two older conventions find modules by name instead (:func:`app_modules`), and stay because what
they find is a whole module of declarations rather than a reaction:

* ``<app>.defaults`` with ``install(organisation)``: the lookups a new organisation starts with;
* ``<app>.demo`` with ``seed(context)``: synthetic demo data (see :mod:`dvpp.demo`);
* ``<app>.home`` with ``cards(user)``: home-page cards (see :mod:`dvpp.home`);
* ``<app>.audit`` with ``describe``: audit events in words (see :mod:`dvpp.audit`).
"""

import importlib
import importlib.util
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

from django.apps import apps


def app_modules(submodule: str) -> Iterator[ModuleType]:
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.{submodule}"
        if app_config.name != "dvpp" and importlib.util.find_spec(name) is not None:
            yield importlib.import_module(name)


def _app_rank(receiver: Callable[..., Any]) -> int:
    """Where the receiver's app sits in INSTALLED_APPS (unknown modules last)."""
    module = getattr(receiver, "__module__", "") or ""
    for rank, app_config in enumerate(apps.get_app_configs()):
        if module == app_config.name or module.startswith(f"{app_config.name}."):
            return rank
    return len(apps.app_configs)


class Hook:
    """A named point that higher apps fill with receivers, called with keyword arguments only."""

    def __init__(self, name: str, doc: str) -> None:
        self.name = name
        self.__doc__ = doc
        self._receivers: dict[str, Callable[..., Any]] = {}

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._receivers)} receivers>"

    def register(self, receiver: Callable[..., Any]) -> Callable[..., Any]:
        """Add ``receiver`` (idempotent: registering the same function twice keeps one). Returns
        it, so this can also be used as a decorator."""
        self._receivers[f"{receiver.__module__}.{receiver.__qualname__}"] = receiver
        return receiver

    def receivers(self) -> list[Callable[..., Any]]:
        return sorted(self._receivers.values(), key=_app_rank)

    def call(self, **kwargs: Any) -> list[Any]:
        """Call every receiver in layer order; their results, leaving out ``None``."""
        results = []
        for receiver in self.receivers():
            result = receiver(**kwargs)
            if result is not None:
                results.append(result)
        return results

    def call_flat(self, **kwargs: Any) -> list[Any]:
        """As :meth:`call` for receivers that each return a list: one list, in layer order."""
        return [item for result in self.call(**kwargs) for item in result]


# --- the hooks --------------------------------------------------------------------------------
# Each says who calls it, with which arguments, and what a receiver returns. Add a hook here
# only when a lower layer needs a higher one; a call within a layer or downwards is an import.

risk_event = Hook(
    "risk_event",
    "Something on his side is a risk event for his partners (he left the programme, missed a "
    "session without leave): ``participant``, ``reason``, ``key`` (idempotency). Filled by "
    "partners, which tasks partner support to contact her. Returns nothing. Nothing comes back to "
    "his side.",
)

case_panels = Hook(
    "case_panels",
    "Extra context for the case page: ``request``, ``participant``. A receiver returns a dict "
    "merged into the page's context (consent, evidence, progress), or None.",
)

subject_access_sections = Hook(
    "subject_access_sections",
    "Sections of a subject-access package: ``subject`` (a Participant or a Partner). A receiver "
    "returns a list of dvpp.subject_access.Section (empty for a subject it holds nothing about).",
)

erasure = Hook(
    "erasure",
    "A person's data is being erased (inside the erasure's transaction): ``subject`` (a "
    "Participant or a Partner), ``by``. A receiver erases what its app holds about them and "
    "returns a dict of counts by kind of record, or None.",
)

retention = Hook(
    "retention",
    "A closed case has passed its retention period and is being anonymised (inside the "
    "transaction): ``participant``. A receiver anonymises what its app holds about him and the "
    "partners of his case, and returns a dict of counts, or None.",
)

urls = Hook(
    "urls",
    "Pages that a higher app adds under a lower app's URLs, so that they keep their place and "
    "their URL names: ``namespace`` ('participants': under a man's case, /cases/; 'partners': "
    "under her record, /partners/, behind the wall). A receiver returns a list of "
    "django.urls.path() (empty for a namespace it adds nothing to). Each view decides access "
    "itself, as every view does.",
)

case_task_done = Hook(
    "case_task_done",
    "A member of staff marks a task on a man's case done (participants.services.case_task_close): "
    "``participant``, ``task``, ``by``, ``reason`` (typed with it, may be empty). The receiver of "
    "the app that raises tasks of that kind does what closing it means (sessions: the end of his "
    "programme) and returns the message to show, raising ValidationError to refuse; every other "
    "receiver returns None. With no message back, the task is simply marked done.",
)

snapshot_counts = Hook(
    "snapshot_counts",
    "The nightly outcome snapshot is being built (outcomes.services.snapshot_build): "
    "``organisation``, ``on``. A receiver returns a dict of raw counts to keep in the snapshot "
    "under its own keys (evidence: the reoffending and change counts), or None.",
)

outbox_kinds = Hook(
    "outbox_kinds",
    "The kinds of message an app puts in the outbox (dvpp.notifications): no arguments. A "
    "receiver returns a list of dvpp.notifications.Kind: the kind's name, its label in words, and "
    "whether the outbox forgets the body once sent (a message that names partners).",
)

outbox_still_wanted = Hook(
    "outbox_still_wanted",
    "Just before the outbox sends a queued message: ``notification``, ``now``. A receiver returns "
    "False when it should no longer go (he withdrew his consent, the session was cancelled or has "
    "started), or None to let it go.",
)

lookup_lists = Hook(
    "lookup_lists",
    "The organisation's own lists that its managers keep in both languages (dvpp.lookups): no "
    "arguments. A receiver returns a dict of the list's URL slug to its OrganisationLookup "
    "model, in the order the lists page shows them.",
)

audit_subject = Hook(
    "audit_subject",
    "What a text typed into the audit log's person field stands for: ``organisation_id``, "
    "``text`` (stripped). A receiver returns the record id the events are recorded under (a "
    "case reference stands for that man's public id), or None.",
)
