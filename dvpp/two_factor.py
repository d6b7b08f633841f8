"""Two-factor sign-in: a code from an authenticator app (TOTP) after the password.

Built on django-otp's devices (``TOTPDevice`` for the app, ``StaticDevice`` for the one-time
recovery codes), which keep the secrets, refuse a code that was already used (``last_t``) and slow
down guessing (throttling). The pages are ours, so they follow the site's look, language and
Content-Security-Policy.

The flow: the password is checked by Django's sign-in page (and django-axes' lockout); then
:class:`SecondFactorMiddleware` lets the half-signed-in user reach nothing but the second-factor
pages and sign-out until a code is accepted. At the first sign-in the user sets up the app and
is given ten recovery codes, each good once. An administrator can reset someone's second factor
(they set it up again at their next sign-in); that is audited.
"""

import hashlib
import time

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_htmx.http import HttpResponseClientRedirect
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import audit_event
from .models import AuditEvent, User
from .otp import verify_code

RECOVERY_CODES = 10
DEMO_DEVICE_NAME = "demo"
_RECOVERY_SESSION_KEY = "two_factor_new_recovery_codes"

# Pages a signed-in user may open before passing the second factor.
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {
        "two_factor_setup",
        "two_factor_verify",
        "two_factor_recovery_codes",
        "login",
        "logout",
        "set_language",
        "healthz",
        "sms_status",
    }
)


def two_factor_required() -> bool:
    return settings.TWO_FACTOR_REQUIRED


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_throttled(user: User) -> bool:
    """True while django-otp makes the user wait after wrong codes (the wait doubles with each
    wrong code in a row: 1, 2, 4, 8... seconds); a code tried then is not even checked."""
    return any(
        not device.verify_is_allowed()[0]
        for device in TOTPDevice.objects.filter(user=user, confirmed=True)
    )


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def make_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with a fresh set; the old ones stop working."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def reset_second_factor(request: HttpRequest, user: User) -> None:
    """Remove the user's app and recovery codes, and end every session they have: whoever holds
    their lost phone, or a browser still signed in as them, must sign in again with the
    password before setting up a new app."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
    audit_event(request, AuditEvent.Action.SECOND_FACTOR_RESET, "dvpp.user", user.pk)


def demo_key(username: str) -> str:
    """The known TOTP secret of a demo user (seed_demo): never used for a real account."""
    return hashlib.sha1(f"dvpp-demo-totp:{username}".encode()).hexdigest()  # noqa: S324


def enrol_demo_user(user: User) -> TOTPDevice:
    device, _created = TOTPDevice.objects.update_or_create(
        user=user,
        name=DEMO_DEVICE_NAME,
        defaults={"key": demo_key(user.username), "confirmed": True},
    )
    return device


def current_code(device: TOTPDevice, at: float | None = None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at if at is not None else time.time()
    return f"{totp.token():0{device.digits}d}"


def _next_url(request: HttpRequest) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse("home")


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


class SecondFactorMiddleware:
    """Until the second factor is passed, a signed-in user reaches only the pages that ask for
    it (and sign-out). An htmx request gets a whole-page redirect."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if two_factor_required() and user.is_authenticated and not user.is_verified():
            try:
                name = resolve(request.path_info).view_name
            except Resolver404:
                name = None
            if name not in OPEN_BEFORE_SECOND_FACTOR:
                target = "two_factor_verify" if has_second_factor(user) else "two_factor_setup"
                url = _with_next(target, request.get_full_path())
                if request.htmx:
                    return HttpResponseClientRedirect(url, status=204)
                return HttpResponseRedirect(url)
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """First sign-in: scan the QR code (or type the key) into an app, then enter a code."""
    user = request.user
    if has_second_factor(user):
        return redirect(_with_next("two_factor_verify", _next_url(request)))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by(
        "pk"
    ).first() or TOTPDevice.objects.create(user=user, name="app", confirmed=False)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error(
                "code",
                _(
                    "Wait a few seconds before trying another code: each wrong code makes the "
                    "wait longer."
                ),
            )
        elif device.verify_token("".join(form.cleaned_data["code"].split())):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session[_RECOVERY_SESSION_KEY] = make_recovery_codes(user)
            audit_event(request, AuditEvent.Action.SECOND_FACTOR_ENROLLED, "dvpp.user", user.pk)
            return redirect(_with_next("two_factor_recovery_codes", _next_url(request)))
        else:
            audit_event(request, AuditEvent.Action.SECOND_FACTOR_FAILED, "dvpp.user", user.pk)
            form.add_error(
                "code",
                _(
                    "That code is not right. Check that your phone sets its clock automatically, "
                    "and enter the newest code."
                ),
            )
    key = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "next": _next_url(request),
            # segno writes plain SVG elements with attributes, no style: allowed by the CSP.
            "qr_code": mark_safe(segno.make(device.config_url).svg_inline(scale=4)),  # noqa: S308
            "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        },
    )


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Every sign-in: the code from the app, or one of the recovery codes."""
    user = request.user
    if not has_second_factor(user):
        return redirect(_with_next("two_factor_setup", _next_url(request)))
    if user.is_verified():
        return HttpResponseRedirect(_next_url(request))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if is_throttled(user):
            form.add_error(
                "code",
                _(
                    "Wait a few seconds before trying another code: each wrong code makes the "
                    "wait longer."
                ),
            )
            device = False
        else:
            device = verify_code(user, form.cleaned_data["code"])
        if device:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = recovery_codes_left(user)
                audit_event(request, AuditEvent.Action.RECOVERY_CODE_USED, "dvpp.user", user.pk)
                messages.warning(
                    request,
                    _("You signed in with a recovery code. Recovery codes left: %(left)s.")
                    % {"left": left},
                )
            else:
                audit_event(request, AuditEvent.Action.SECOND_FACTOR_PASSED, "dvpp.user", user.pk)
            return HttpResponseRedirect(_next_url(request))
        audit_event(request, AuditEvent.Action.SECOND_FACTOR_FAILED, "dvpp.user", user.pk)
        if device is None:
            form.add_error(
                "code",
                _(
                    "That code is not right, or it has been used already. Wait for the "
                    "next code and try again."
                ),
            )
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": _next_url(request)},
    )


@never_cache
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, shown once, straight after they are made."""
    codes = request.session.pop(_RECOVERY_SESSION_KEY, None)
    if not codes:
        return HttpResponseRedirect(_next_url(request))
    return render(
        request,
        "registration/two_factor_recovery_codes.html",
        {"codes": codes, "next": _next_url(request)},
    )


@never_cache
@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """The user's own two-factor page: how many recovery codes are left; a new set."""
    from .reauth import require_recent_authentication

    if request.method == "POST":
        if (refused := require_recent_authentication(request)) is not None:
            return refused
        request.session[_RECOVERY_SESSION_KEY] = make_recovery_codes(request.user)
        audit_event(
            request, AuditEvent.Action.CHANGE, "dvpp.user", request.user.pk, what="recovery codes"
        )
        return redirect(_with_next("two_factor_recovery_codes", reverse("two_factor_manage")))
    return render(
        request,
        "registration/two_factor_manage.html",
        {
            "left": recovery_codes_left(request.user),
            "enrolled": has_second_factor(request.user),
        },
    )
