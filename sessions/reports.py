"""The progress report for a referrer (court, probation, police): attendance, compliance and
status, in the man's language. It never holds anything about a partner."""

from django.utils import formats, translation
from django.utils.translation import gettext as _

from dvpp.reporting import pdf_document, pdf_style, pdf_table
from participants.models import Participant


def progress_context(participant: Participant) -> dict:
    from .selectors import man_progress

    return {
        "participant": participant,
        "progress": man_progress(participant),
        "referral": participant.referrals.select_related("source").first(),
        "open_tasks": list(participant.tasks.filter(done_at__isnull=True)),
    }


def progress_pdf(participant: Participant) -> bytes:
    """The progress report as a PDF, in the man's preferred language."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    with translation.override(participant.preferred_language):
        context = progress_context(participant)
        progress = context["progress"]
        body = pdf_style("body", size=10, leading=14)
        heading = pdf_style("heading", size=14, leading=18, bold=True, spaceAfter=6)
        subheading = pdf_style("sub", size=11, leading=15, bold=True, spaceAfter=6, spaceBefore=8)

        def date(value):
            return formats.date_format(value, "SHORT_DATE_FORMAT") if value else "—"

        story = [
            Paragraph(_("Programme progress report"), heading),
            Paragraph(f"{participant.full_name} · {participant.reference}", body),
            Paragraph(
                _("Date of birth: %(date)s") % {"date": date(participant.date_of_birth)}, body
            ),
            Paragraph(_("Status: %(status)s") % {"status": participant.get_status_display()}, body),
        ]
        referral = context["referral"]
        if referral is not None:
            story.append(
                Paragraph(
                    _("Referred by %(referrer)s (%(source)s) on %(date)s")
                    % {
                        "referrer": referral.referrer_organisation,
                        "source": referral.source,
                        "date": date(referral.received_on),
                    },
                    body,
                )
            )
        story.append(Paragraph(_("Attendance"), subheading))
        if progress["programme"] is None:
            story.append(Paragraph(_("Not yet allocated to a group."), body))
        else:
            rate = "—" if progress["rate"] is None else f"{progress['rate']}%"
            story.append(
                Paragraph(
                    _(
                        "%(attended)s of %(held)s sessions attended (%(rate)s); %(remaining)s remaining."  # noqa: E501
                    )
                    % {
                        "attended": progress["attendance"].attended,
                        "held": progress["attendance"].expected,
                        "rate": rate,
                        "remaining": progress["remaining"],
                    },
                    body,
                )
            )
            if progress["missed_core"]:
                story.append(
                    Paragraph(
                        _("Core themes missed: %(themes)s")
                        % {"themes": ", ".join(str(theme) for theme in progress["missed_core"])},
                        body,
                    )
                )
            if progress["deadline"]:
                story.append(
                    Paragraph(
                        _("To complete by %(date)s.") % {"date": date(progress["deadline"])}, body
                    )
                )
            for day in progress["restarts"]:
                story.append(
                    Paragraph(
                        _("Started again after missing the session of %(date)s.")
                        % {"date": date(day)},
                        body,
                    )
                )
            rows = [[_("Date"), _("Theme"), _("Attendance")]]
            for session, mark in progress["marks"]:
                rows.append(
                    [
                        date(session.date),
                        Paragraph(str(session.theme), body),
                        mark.get_outcome_display() if mark else _("not marked"),
                    ]
                )
            table = pdf_table(rows, font_size=9, widths=[28 * mm, 100 * mm, 45 * mm])
            story += [Spacer(1, 4 * mm), table]
        story.append(Paragraph(_("Compliance"), subheading))
        tasks = [
            task
            for task in context["open_tasks"]
            if task.kind in {"compliance_review", "inform_referrer"}
        ]
        if tasks:
            for task in tasks:
                story.append(Paragraph(f"{task.get_kind_display()}: {task.detail}", body))
        else:
            story.append(Paragraph(_("No compliance concerns are open."), body))
        return pdf_document(
            story, title=_("Programme progress report"), leftMargin=18 * mm, rightMargin=18 * mm
        )
