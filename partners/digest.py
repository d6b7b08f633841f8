"""The morning list of each partner support worker, by e-mail through the core's outbox. It names
partners, so the outbox forgets its body once it is sent."""

import datetime

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dvpp.models import Role, User
from dvpp.notifications import Kind, notify

from . import selectors


def outbox_kinds() -> list[Kind]:
    return [Kind("iss_digest", gettext_lazy("Partner support: today's list"), forget_body=True)]


def iss_digest(on: datetime.date | None = None) -> int:
    """Each partner support worker's morning list: overdue and due-today check-ins and partners
    awaiting first contact. Sent to partner support workers only; it names partners by given
    name and initial, with his case reference, and carries no contact details."""
    on = on or timezone.localdate()
    made = 0
    workers = User.objects.filter(
        role=Role.PARTNER_SUPPORT, is_active=True, organisation__is_active=True
    ).exclude(email="")
    for worker in workers.select_related("organisation"):
        overdue = selectors.overdue_checkins(worker, mine=True, today=on)
        due_today = selectors.due_on(worker, on, mine=True)
        awaiting = selectors.awaiting_contact(worker, today=on, mine=True)
        with translation.override(worker.organisation.default_language):

            def names(partners):
                # His case reference tells two women of the same given name apart.
                return (
                    ", ".join(
                        _("%(name)s (case %(reference)s)")
                        % {
                            "name": f"{p.first_name} {p.last_name[:1]}.",
                            "reference": p.participant.reference,
                        }
                        for p in partners
                    )
                    or "—"
                )

            body = "\n".join(
                [
                    _("Your partner support list for %(date)s.")
                    % {"date": formats.date_format(on, "DATE_FORMAT")},
                    "",
                    _("Check-ins overdue: %(names)s") % {"names": names(overdue)},
                    _("Check-ins due today: %(names)s") % {"names": names(due_today)},
                    _("Awaiting first contact: %(names)s") % {"names": names(awaiting)},
                    "",
                    f"{settings.SITE_URL}/partners/",
                ]
            )
            subject = _("Partner support: today's list")
        _n, created = notify(
            organisation=worker.organisation,
            key=f"iss-digest:{worker.pk}:{on}",
            kind="iss_digest",
            channel="email",
            to=worker.email,
            subject=subject,
            body=body,
        )
        made += created
    return made
