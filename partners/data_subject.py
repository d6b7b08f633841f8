"""A partner as the subject of her data: what the subject-access and erasure pages
(``consent.subject_pages``) need to know of her record. Only partner support workers of her
organisation open them (Area.PARTNERS, the wall), and every read is audited, as for every page
of her record."""

from django.utils.translation import gettext as _

from dvpp.access import Area
from dvpp.subject_access import DataSubject

from .access import get_partner_for_user
from .erasure import erasure_refusal, partner_erase
from .subject_access import partner_package


def erasure_code(partner) -> str:
    """What the worker types to confirm: the start of her record's id, never her name."""
    return str(partner.public_id)[:8]


PARTNER = DataSubject(
    namespace="partners",
    area=Area.PARTNERS,
    find=get_partner_for_user,
    context_name="partner",
    templates=("partners/subject_access.html", "partners/erase.html"),
    package=lambda partner: partner_package(partner=partner),
    package_name=lambda partner: str(partner.public_id),
    erase=lambda partner, by: partner_erase(partner=partner, by=by),
    erasure_refusal=erasure_refusal,
    erasure_code=erasure_code,
    erased_message=lambda partner: _("Her record has been erased."),
    audit_reads=True,
)
