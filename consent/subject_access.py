"""The consents section of a subject-access package (his, or hers behind the wall), added
through ``dvpp.hooks.subject_access_sections``."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dvpp.subject_access import Section, Value, choice, columns

from .models import ManConsent


def consent_section(records: QuerySet) -> Section:
    rows = [
        {
            "template": Value(record.template.purpose, str(record.template)),
            "given_on": record.given_on,
            "how": choice(record, "how"),
            "valid_until": record.valid_until,
            "withdrawn_on": record.withdrawn_on,
            "withdrawal_how": choice(record, "withdrawal_how"),
        }
        for record in records.select_related("template").order_by("given_on", "pk")
    ]
    names = ("template", "given_on", "how", "valid_until", "withdrawn_on", "withdrawal_how")
    return Section("consents", _("Consents"), columns(ManConsent, *names), rows)


def sections(*, subject) -> list[Section]:
    """The receiver of ``hooks.subject_access_sections``. A man and a partner both have their
    consents as ``consents`` (``ManConsent`` here, ``partners.PartnerConsent`` behind the wall):
    each package carries only its own person's."""
    records = getattr(subject, "consents", None)
    return [] if records is None else [consent_section(records.all())]
