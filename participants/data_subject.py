"""A man as the subject of his data: what the subject-access and erasure pages
(``consent.subject_pages``) need to know of his side. Managers make his package and erase his
case (Area.SUBJECT_ACCESS); nothing here reaches a partner's record."""

from django.utils.translation import gettext as _

from dvpp.access import Area
from dvpp.subject_access import DataSubject

from .access import get_participant_for_user
from .erasure import erasure_refusal, participant_erase
from .subject_access import man_package

MAN = DataSubject(
    namespace="participants",
    area=Area.SUBJECT_ACCESS,
    find=get_participant_for_user,
    context_name="participant",
    templates=("participants/subject_access.html", "participants/erase.html"),
    package=lambda man: man_package(participant=man),
    package_name=lambda man: man.reference,
    erase=lambda man, by: participant_erase(participant=man, by=by),
    erasure_refusal=erasure_refusal,
    erasure_code=lambda man: man.reference,
    erased_message=lambda man: (
        _("Case %(reference)s has been erased.") % {"reference": man.reference}
    ),
    # The pages read only the request log: what is audited is the package made, the erasure.
    audit_reads=False,
)
