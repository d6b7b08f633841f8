"""Which lists an organisation keeps (each app names its own through
:data:`dvpp.hooks.lookup_lists`): read by the lists' pages (:mod:`dvpp.lookups`) and by the audit
log's wording (:mod:`dvpp.audit`), which the pages themselves import."""

from django.http import Http404

from . import hooks
from .models import OrganisationLookup


def lookup_lists() -> dict[str, type[OrganisationLookup]]:
    """Every app's lists (dvpp.hooks.lookup_lists), by their URL slug."""
    return {kind: model for lists in hooks.lookup_lists.call() for kind, model in lists.items()}


def lookup_model(kind: str) -> type[OrganisationLookup]:
    try:
        return lookup_lists()[kind]
    except KeyError:
        raise Http404 from None
