"""The nightly outcome report: each organisation's snapshot is built, and its managers get the
figures by e-mail with the CSV and XLSX attached, through the core's outbox."""

import base64
import datetime

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dvpp.models import Organisation, Role, User
from dvpp.notifications import Kind, notify

from . import exports, figures
from .services import snapshot_build


def outbox_kinds() -> list[Kind]:
    return [Kind("outcome_report", gettext_lazy("Nightly outcome report"))]


def nightly_outcome_report(on: datetime.date | None = None) -> int:
    """Build each organisation's snapshot and e-mail its managers a summary with the CSV and
    XLSX attached, in the organisation's language. Twice the same night: one of each."""
    on = on or timezone.localdate()
    made = 0
    for organisation in Organisation.objects.filter(is_active=True):
        snapshot, _created = snapshot_build(organisation=organisation, on=on)
        managers = User.objects.filter(
            organisation=organisation, role=Role.MANAGER, is_active=True
        ).exclude(email="")
        if not managers.exists():
            continue
        with translation.override(organisation.default_language):
            rows = figures.paired_table(organisation, figures.Filters())
            programme = figures.programme_figures(organisation, figures.Filters())
            lines = [
                _("Outcome figures for %(organisation)s, %(date)s.")
                % {
                    "organisation": organisation.name,
                    "date": formats.date_format(on, "DATE_FORMAT"),
                },
                "",
            ]
            for row in rows:
                lines.append(
                    f"{row.label}: "
                    + (
                        _("fewer than the minimum")
                        if row.suppressed
                        else f"{row.before}% → {row.after}% (n={row.n})"
                    )
                )
            lines += ["", _("Data hash: %(hash)s") % {"hash": snapshot.source_hash}]
            subject = _("Nightly outcome report")
            attachments = [
                {
                    "name": f"outcomes-{on}.csv",
                    "type": "text/csv",
                    "content": base64.b64encode(exports.to_csv(rows)).decode(),
                },
                {
                    "name": f"outcomes-{on}.xlsx",
                    "type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "content": base64.b64encode(exports.to_xlsx(rows, programme)).decode(),
                },
            ]
        for manager in managers:
            _n, created = notify(
                organisation=organisation,
                key=f"outcome-report:{organisation.pk}:{on}:{manager.pk}",
                kind="outcome_report",
                channel="email",
                to=manager.email,
                subject=subject,
                body="\n".join(lines),
                attachments=attachments,
            )
            made += created
    return made
