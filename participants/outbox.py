"""What the men's side says about queued messages: one for a man who has since withdrawn his
consent to reminders is not sent (dvpp.hooks.outbox_still_wanted)."""

import datetime

from dvpp.models import Notification

from .models import Participant


def still_wanted(*, notification: Notification, now: datetime.datetime) -> bool | None:
    if notification.participant_id is None:
        return None
    # He withdrew his consent after the message was queued: it is not sent.
    if not Participant.objects.filter(
        pk=notification.participant_id, reminder_consent=True
    ).exists():
        return False
    return None
