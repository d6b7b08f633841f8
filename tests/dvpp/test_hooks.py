"""The hook registry: receivers in layer order, idempotent registration, errors not swallowed."""

import pytest

from dvpp.hooks import Hook


def test_receivers_run_in_the_order_of_installed_apps_and_register_once():
    hook = Hook("example", "for the test")

    def higher(**kwargs):
        return ["library", kwargs["n"]]

    def lower(**kwargs):
        return ["participants", kwargs["n"]]

    higher.__module__ = "library.services"
    lower.__module__ = "participants.services"
    hook.register(higher)
    hook.register(lower)
    hook.register(lower)
    assert hook.call(n=1) == [["participants", 1], ["library", 1]]
    assert hook.call_flat(n=2) == ["participants", 2, "library", 2]


def test_a_failing_receiver_fails_the_call():
    hook = Hook("example", "for the test")

    @hook.register
    def broken(**kwargs):
        raise RuntimeError("partner support could not be told")

    with pytest.raises(RuntimeError):
        hook.call()


def test_partner_support_hears_of_risk_events_through_the_hook():
    from dvpp import hooks

    assert [r.__module__ for r in hooks.risk_event.receivers()] == ["partners.services"]
