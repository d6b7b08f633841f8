"""Incidents after a man's referral, and the harm they did, as data (issue 12).

Each known domestic-abuse incident or offence after his referral is one row: when, how it
became known, what kind (a per-organisation category carrying a harm weight), whether police
were involved, and what came of it. The harm of a man's incidents in a window is computed from
the weights, never judged by hand. An incident the partner support service learnt of from her
is confidential: the men's side sees only that such a report exists.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dvpp.abstract import OrganisationOwned, SubmittedOnce, Versioned
from dvpp.access import OrganisationScopedQuerySet
from dvpp.i18n import bilingual
from dvpp.models import OrganisationLookup


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


class Incident(OrganisationOwned, SubmittedOnce):
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
    # Behind the wall: which woman told the partner support service (only for those incidents).
    reported_by = models.ForeignKey(
        "partners.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_incidents",
    )
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


class Rating(models.TextChoices):
    """A behaviour at exit, against his baseline at assessment."""

    REDUCED = "reduced", _("Reduced")
    NO_CHANGE = "no_change", _("No change")
    INCREASED = "increased", _("Increased")
    NOT_PRESENT = "not_present", _("Not present at baseline")
    UNKNOWN = "unknown", _("Not known")


class ChangeInstrument(OrganisationOwned, Versioned):
    """The practitioners' change assessment, in one version. The behaviours rated are data:
    ``behaviours`` is ``[[code, English, Russian], ...]``. A new version is a new row, and the
    assessments already made keep pointing at the version they used. The figures read the
    behaviours coded ``physical_violence`` and ``controlling_behaviour``."""

    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    guidance_ru = models.TextField(_("guidance (Russian)"), blank=True)
    behaviours = models.JSONField(_("behaviours rated"), default=list)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("change assessment instrument")
        verbose_name_plural = _("change assessment instruments")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="change_instrument_unique_version"
            )
        ]

    @property
    def guidance(self) -> str:
        return bilingual(self.guidance_en, self.guidance_ru)

    def behaviour_labels(self) -> list[tuple[str, str]]:
        return [(code, bilingual(en, ru)) for code, en, ru in self.behaviours]


class ChangeAssessment(OrganisationOwned):
    """At exit, the practitioners' judgement of a man's change: capacity and motivation to
    change, each behaviour against his baseline, and the evidence used. Partner feedback is a
    yes or no, never its content: what she said stays behind the wall."""

    participant = models.OneToOneField(
        "participants.Participant", on_delete=models.CASCADE, related_name="change_assessment"
    )
    instrument = models.ForeignKey(
        ChangeInstrument, on_delete=models.PROTECT, related_name="assessments"
    )
    assessed_on = models.DateField(_("assessed on"))
    capacity = models.BooleanField(_("shows the capacity to change"))
    motivation = models.BooleanField(_("shows the motivation to change"))
    ratings = models.JSONField(_("behaviours against baseline"), default=dict)
    used_group_work = models.BooleanField(_("evidence from group work"), default=False)
    used_individual_sessions = models.BooleanField(
        _("evidence from individual sessions"), default=False
    )
    used_partner_feedback = models.BooleanField(
        _("partner feedback was used"),
        default=False,
        help_text=_("Yes or no only: what she said is never recorded here."),
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("change assessment")
        verbose_name_plural = _("change assessments")
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.assessed_on:%Y-%m-%d} v{self.instrument.version}"


class ComparisonCohort(OrganisationOwned, SubmittedOnce):
    """A comparison group entered as counts, as a partner agency (police, probation) gives
    them: men like ours who did not attend, followed over the same window."""

    class Window(models.IntegerChoices):
        SIX = 6, _("6 months")
        TWELVE = 12, _("12 months")
        TWENTY_FOUR = 24, _("24 months")

    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("from"), max_length=200, help_text=_("The agency that gave it."))
    description = models.TextField(
        _("who is in it"), blank=True, help_text=_("How the men were chosen, and when.")
    )
    window_months = models.PositiveSmallIntegerField(
        _("window"), choices=Window.choices, default=Window.TWELVE
    )
    men = models.PositiveIntegerField(_("men"), validators=[MinValueValidator(1)])
    men_with_incident = models.PositiveIntegerField(_("men with at least one incident"))
    incidents = models.PositiveIntegerField(_("incidents"))
    total_harm = models.DecimalField(
        _("total harm (days)"), max_digits=12, decimal_places=1, validators=[MinValueValidator(0)]
    )
    harm_sd = models.DecimalField(
        _("standard deviation of harm per man (days)"),
        max_digits=12,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("If the agency gives it, the harm figure gets a confidence interval."),
    )
    randomised = models.BooleanField(
        _("randomised"),
        default=False,
        help_text=_("Tick only if men were allocated to this group or the programme at random."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("comparison group")
        verbose_name_plural = _("comparison groups")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(men__gte=1), name="comparison_cohort_has_people"
            ),
            models.CheckConstraint(
                condition=models.Q(men_with_incident__lte=models.F("men")),
                name="comparison_cohort_reoffenders_within_men",
            ),
            models.CheckConstraint(
                condition=models.Q(incidents__gte=models.F("men_with_incident")),
                name="comparison_cohort_incidents_cover_reoffenders",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.men is not None and self.men < 1:
            errors["men"] = _("A comparison group must have at least one man in it.")
        if (
            self.men is not None
            and self.men_with_incident is not None
            and self.men_with_incident > self.men
        ):
            errors["men_with_incident"] = _("More men with an incident than men in the group.")
        if (
            self.incidents is not None
            and self.men_with_incident is not None
            and self.incidents < self.men_with_incident
        ):
            errors["incidents"] = _("Each man with an incident had at least one incident.")
        if errors:
            raise ValidationError(errors)
