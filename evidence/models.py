"""Incidents after a man's referral, and the harm they did, as data (issue 12).

Each known domestic-abuse incident or offence after his referral is one row: when, how it
became known, what kind (a per-organisation category carrying a harm weight), whether police
were involved, and what came of it. The harm of a man's incidents in a window is computed from
the weights, never judged by hand. An incident the partner support service learnt of from her
is confidential: the men's side sees only that such a report exists.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dvpp.access import OrganisationScopedQuerySet
from dvpp.models import Organisation, OrganisationLookup


class IncidentCategory(OrganisationLookup):
    """What kind of incident, with its harm weight: in the UK set, the Cambridge Crime Harm
    Index (the sentencing guideline's starting point, in days of custody); in the Russian set,
    a comparable local table (docs/evidence.md). The organisation may change the weights."""

    harm_weight = models.DecimalField(
        _("harm weight"),
        max_digits=8,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Days of custody the offence's starting point carries; never negative."),
    )

    class Meta(OrganisationLookup.Meta):
        verbose_name = _("incident category")
        verbose_name_plural = _("incident categories")


class Incident(models.Model):
    class KnownVia(models.TextChoices):
        POLICE = "police", _("Police or court notification")
        PROBATION = "probation", _("Probation or the inspectorate")
        HIMSELF = "himself", _("The man himself")
        PARTNER_SUPPORT = "partner_support", _("Reported to the partner support service")

    class Outcome(models.TextChoices):
        UNKNOWN = "unknown", _("Not known yet")
        NO_FURTHER_ACTION = "nfa", _("No further action")
        CAUTION = "caution", _("Caution")
        CHARGE = "charge", _("Charge")
        CONVICTION = "conviction", _("Conviction")
        ADMINISTRATIVE = "administrative", _("Administrative penalty")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="incidents"
    )
    occurred_on = models.DateField(_("date"))
    known_via = models.CharField(_("known through"), max_length=16, choices=KnownVia.choices)
    category = models.ForeignKey(
        IncidentCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    police_involved = models.BooleanField(_("police involved"), default=False)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.UNKNOWN
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident after referral")
        verbose_name_plural = _("incidents after referral")
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.occurred_on:%Y-%m-%d} {self.category}"

    @property
    def is_confidential(self) -> bool:
        """Learnt from her: the men's side sees only that a confidential report exists."""
        return self.known_via == self.KnownVia.PARTNER_SUPPORT
