"""The progress report for a referrer (court, probation, police): attendance, compliance and
status, in the man's language. It never holds anything about a partner."""

import io
from pathlib import Path

from django.utils import formats, translation
from django.utils.translation import gettext as _

from participants.models import Participant

FONTS = Path(__file__).resolve().parent.parent / "dvpp" / "fonts"


def progress_context(participant: Participant) -> dict:
    from .selectors import man_progress

    return {
        "participant": participant,
        "progress": man_progress(participant),
        "referral": participant.referrals.select_related("source").first(),
        "open_tasks": list(participant.tasks.filter(done_at__isnull=True)),
    }


def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        # DejaVu carries Cyrillic; the PDF standard fonts do not.
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(FONTS / "DejaVuSans-Bold.ttf")))


def progress_pdf(participant: Participant) -> bytes:
    """The progress report as a PDF, in the man's preferred language."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_fonts()
    with translation.override(participant.preferred_language):
        context = progress_context(participant)
        progress = context["progress"]
        body = ParagraphStyle("body", fontName="DejaVuSans", fontSize=10, leading=14)
        heading = ParagraphStyle(
            "heading",
            parent=body,
            fontName="DejaVuSans-Bold",
            fontSize=14,
            leading=18,
            spaceAfter=6,
        )
        subheading = ParagraphStyle("sub", parent=heading, fontSize=11, leading=15, spaceBefore=8)

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
            table = Table(rows, colWidths=[28 * mm, 100 * mm, 45 * mm], repeatRows=1)
            table.setStyle(
                TableStyle(
                    [
                        ("FONT", (0, 0), (-1, -1), "DejaVuSans", 9),
                        ("FONT", (0, 0), (-1, 0), "DejaVuSans-Bold", 9),
                        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
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
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            title=_("Programme progress report"),
            leftMargin=18 * mm,
            rightMargin=18 * mm,
        )
        document.build(story)
    return buffer.getvalue()
