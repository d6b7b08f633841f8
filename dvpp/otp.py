"""Checking a second-factor code against a user's devices: used by the sign-in's second step
(:mod:`dvpp.two_factor`) and by confirming identity again (:mod:`dvpp.reauth`)."""

from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User


def verify_code(user: User, code: str, allow_recovery: bool = True):
    """The device that accepts ``code`` (and consumes it), or None.

    A TOTP code is good once: the same code again, even within its 30 seconds, is refused. A
    recovery code is deleted when used."""
    code = "".join(code.split()).lower()
    if not code:
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        allowed, _details = device.verify_is_allowed()
        if allowed and code.isdigit() and device.verify_token(code):
            return device
    if allow_recovery:
        for device in StaticDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
    return None
