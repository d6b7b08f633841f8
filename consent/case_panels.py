"""His consents on his case page (``participants.views.detail``, through
``dvpp.hooks.case_panels``): the records, what is missing, and for those who work on cases the
forms to record or withdraw one."""

from dvpp.access import Area, user_can

from .forms import ConsentForm, WithdrawalForm
from .models import Subject
from .services import current_templates, man_consent_warnings


def consent_panel(*, request, participant) -> dict:
    """The receiver of ``hooks.case_panels``."""
    consents = list(participant.consents.select_related("template"))
    context = {
        "consents": consents,
        "consent_warnings": man_consent_warnings(participant, consents),
        "consent_urls": {
            "person": participant.public_id,
            "add": "consent:add",
            "withdraw": "consent:withdraw",
            "print": "consent:print",
        },
    }
    if user_can(request.user, Area.CASE_WORK):
        templates = current_templates(participant.organisation_id, Subject.MAN)
        context.update(
            consent_templates=templates,
            consent_form=ConsentForm(templates=templates),
            withdrawal_form=WithdrawalForm(),
        )
    return context
