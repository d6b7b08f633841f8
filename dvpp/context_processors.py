from django.conf import settings
from django.http import HttpRequest

from .navigation import items_for


def navigation(request: HttpRequest) -> dict:
    """The navigation, for a user who has passed both factors (before that: nothing to show)."""
    user = request.user
    signed_in = user.is_authenticated and (
        not settings.TWO_FACTOR_REQUIRED or getattr(user, "is_verified", lambda: False)()
    )
    return {"signed_in": signed_in, "nav_items": items_for(user) if signed_in else []}
