"""Re-authentication: confirm it is still you before the most sensitive actions.

Exports, user management, and subject-access packages and erasure ask for the password (or a
code from the authenticator app) again, unless the user confirmed it in the last
``REAUTH_MINUTES``. A stolen, unlocked tablet left signed in is then not enough to take the data
away in one file.

Use :func:`reauthentication_required` on a view. A GET is sent to the confirmation page and
comes back to the same address; a POST is sent there too and comes back to the page it was
posted from (its form is shown again: nothing is acted on without the confirmation).
"""

import time
from collections.abc import Callable
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_htmx.http import HttpResponseClientRedirect

from .audit import audit_event
from .models import AuditEvent
from .otp import verify_code

SESSION_KEY = "reauthenticated_at"


def recently_authenticated(request: HttpRequest) -> bool:
    confirmed = request.session.get(SESSION_KEY)
    return confirmed is not None and time.time() - confirmed < settings.REAUTH_MINUTES * 60


def mark_reauthenticated(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = time.time()


def reauthentication_url(next_url: str) -> str:
    return f"{reverse('reauthenticate')}?{urlencode({'next': next_url})}"


def require_recent_authentication(request: HttpRequest) -> HttpResponse | None:
    """None when the user confirmed who they are recently; else the redirect to confirm it."""
    if recently_authenticated(request):
        return None
    if request.method in ("GET", "HEAD"):
        next_url = request.get_full_path()
    else:
        referer = request.META.get("HTTP_REFERER", "")
        allowed = url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        next_url = referer if referer and allowed else request.path
    url = reauthentication_url(next_url)
    if request.htmx:
        return HttpResponseClientRedirect(url, status=204)
    return HttpResponseRedirect(url)


def reauthentication_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Put this *inside* the access decorator: who may open the page is decided first."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return require_recent_authentication(request) or view(request, *args, **kwargs)

    return wrapped


class ReauthenticationForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    code = forms.CharField(
        label=gettext_lazy("or a code from your authenticator app"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, request: HttpRequest, *args, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean(self):
        password = self.cleaned_data.get("password")
        code = (self.cleaned_data.get("code") or "").replace(" ", "")
        user = self.request.user
        if not password and not code:
            raise forms.ValidationError(
                _("Enter your password or a code from your authenticator app.")
            )
        if password:
            # Through authenticate(), so repeated wrong passwords here count towards the lockout.
            confirmed = authenticate(self.request, username=user.get_username(), password=password)
            if confirmed is None or confirmed.pk != user.pk:
                raise forms.ValidationError(_("That password is not right."))
        else:
            if verify_code(user, code, allow_recovery=False) is None:
                raise forms.ValidationError(
                    _("That code is not right, or it has been used already.")
                )
        return self.cleaned_data


@never_cache
@login_required
def reauthenticate(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("home")
    form = ReauthenticationForm(request, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            mark_reauthenticated(request)
            audit_event(request, AuditEvent.Action.REAUTHENTICATED, "dvpp.user", request.user.pk)
            messages.success(
                request, _("Thank you. You will not be asked again for a few minutes.")
            )
            return HttpResponseRedirect(next_url)
        audit_event(
            request, AuditEvent.Action.REAUTHENTICATION_FAILED, "dvpp.user", request.user.pk
        )
    return render(
        request,
        "registration/reauthenticate.html",
        {"form": form, "next": next_url, "minutes": settings.REAUTH_MINUTES},
    )
