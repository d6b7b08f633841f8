"""The men on the programme: referrals, the case and its status history, assessments, notes.

Nothing about a partner is stored here: partner details collected at assessment go to the
partners app (only the fact that they were passed on is recorded here).
"""

import datetime
import uuid

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from dvpp import names
from dvpp.abstract import OrganisationOwned, SubmittedOnce
from dvpp.access import OrganisationScopedQuerySet
from dvpp.models import Organisation, OrganisationLookup
from dvpp.search import SearchedModel, SearchedQuerySet, name_search_text, normalise


class ReferralSource(OrganisationLookup):
    """Where referrals come from: court, probation, police, children's services, self, …"""

    class Meta(OrganisationLookup.Meta):
        verbose_name = _("referral source")
        verbose_name_plural = _("referral sources")


class CaseNoteCategory(OrganisationLookup):
    class Meta(OrganisationLookup.Meta):
        verbose_name = _("case note category")
        verbose_name_plural = _("case note categories")


class ReferrerOrganisation(OrganisationLookup):
    """The bodies that refer men (a court, an inspectorate's branch): offered when typing the
    referring organisation, so the same body is written the same way."""

    class Meta(OrganisationLookup.Meta):
        verbose_name = _("referring organisation")
        verbose_name_plural = _("referring organisations")


class ExitReason(OrganisationLookup):
    """Why a case closed before completion, beyond its status (moved away, new offence, …)."""

    class Meta(OrganisationLookup.Meta):
        verbose_name = _("exit reason")
        verbose_name_plural = _("exit reasons")


class OffenceCategory(OrganisationLookup):
    """What the referral is about: the offence or incident (battery, threats, stalking, …)."""

    class Meta(OrganisationLookup.Meta):
        verbose_name = _("offence or incident category")
        verbose_name_plural = _("offence and incident categories")


class Status(models.TextChoices):
    REFERRED = "referred", _("Referred")
    ASSESSMENT = "assessment", _("In assessment")
    WAITING_LIST = "waiting_list", _("Suitable: waiting list")
    ALLOCATED = "allocated", _("Allocated to a group")
    IN_PROGRAMME = "in_programme", _("In programme")
    COMPLETED = "completed", _("Completed")
    UNSUITABLE = "unsuitable", _("Unsuitable")
    NOT_ENGAGED = "not_engaged", _("Did not engage")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    BREACHED = "breached", _("Breached")
    EXCLUDED = "excluded", _("Excluded")
    MOVED_AWAY = "moved_away", _("Moved away")


OPEN_STATUSES = frozenset(
    {
        Status.REFERRED,
        Status.ASSESSMENT,
        Status.WAITING_LIST,
        Status.ALLOCATED,
        Status.IN_PROGRAMME,
    }
)
CLOSED_STATUSES = frozenset(Status) - OPEN_STATUSES


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ReminderChannel(models.TextChoices):
    NONE = "none", _("No reminders")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class Language(models.TextChoices):
    EN = "en", _("English")
    RU = "ru", _("Russian")


def validate_not_future(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise ValidationError(_("This date is in the future."))


def validate_ages(value: str) -> None:
    for part in [p.strip() for p in value.split(",") if p.strip()]:
        if not part.isdigit() or int(part) > 17:
            raise ValidationError(
                _("Give the children's ages as whole numbers from 0 to 17, separated by commas.")
            )


class ParticipantQuerySet(SearchedQuerySet, OrganisationScopedQuerySet):
    def open(self) -> "ParticipantQuerySet":
        return self.filter(status__in=OPEN_STATUSES)


class Participant(names.PersonName, SearchedModel):
    """A man referred to the programme: his case."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(_("case reference"), max_length=20, editable=False)
    last_name = models.CharField(
        _("surname"), max_length=150, validators=[names.validate_single_script]
    )
    first_name = models.CharField(
        _("given name"), max_length=150, validators=[names.validate_single_script]
    )
    patronymic = models.CharField(
        _("patronymic"), max_length=150, blank=True, validators=[names.validate_single_script]
    )
    previous_surnames = models.CharField(
        _("previous surnames"), max_length=300, blank=True, help_text=_("Separated by commas.")
    )
    date_of_birth = models.DateField(_("date of birth"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.EN
    )
    reminder_consent = models.BooleanField(_("consents to session reminders"), default=False)
    reminder_channel = models.CharField(
        _("reminders by"),
        max_length=8,
        choices=ReminderChannel.choices,
        default=ReminderChannel.NONE,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REFERRED
    )
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now)
    key_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("key worker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    risk_level = models.CharField(
        _("risk level"), max_length=8, choices=RiskLevel.choices, blank=True
    )
    risk_set_on = models.DateField(_("risk level set on"), null=True, blank=True)
    risk_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("risk level set by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    children_count = models.PositiveSmallIntegerField(
        _("children in the household"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(20)],
    )
    children_ages = models.CharField(
        _("children's ages"), max_length=100, blank=True, validators=[validate_ages]
    )
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    # Erased at his request (participants.erasure): anonymised like retention, and marked so.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="participant_unique_reference"
            ),
            models.CheckConstraint(
                condition=~models.Q(reminder_consent=True, reminder_channel="none"),
                name="participant_reminder_consent_needs_channel",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["organisation", "last_name", "first_name"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    # What search_text is built from (dvpp.search.SearchedQuerySet keeps bulk writes right).
    SEARCHED_FIELDS = (
        "reference",
        "last_name",
        "first_name",
        "patronymic",
        "previous_surnames",
        "anonymised_at",
        "erased_at",
    )

    def build_search_text(self) -> str:
        """His reference and names, as written and in Latin letters; once his record is
        anonymised or erased, his reference alone, so a removed name is never found."""
        if self.anonymised_at is not None or self.erased_at is not None:
            return normalise(self.reference)
        return name_search_text(
            self.reference, self.last_name, self.first_name, self.patronymic, self.previous_surnames
        )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def age(self) -> int:
        today = timezone.localdate()
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    @property
    def time_in_status(self) -> datetime.timedelta:
        return timezone.now() - self.status_changed_at

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.date_of_birth:
            today = timezone.localdate()
            if self.date_of_birth > today:
                errors["date_of_birth"] = _("The date of birth is in the future.")
            elif not 14 <= self.age <= 100:
                errors["date_of_birth"] = _(
                    "This date of birth gives an age of %(age)s: check it (14 to 100 expected)."
                ) % {"age": self.age}
        if self.reminder_consent and self.reminder_channel == ReminderChannel.NONE:
            errors["reminder_channel"] = _("Choose how he wants his reminders.")
        if self.reminder_channel == ReminderChannel.EMAIL and not self.email:
            errors["email"] = _("Reminders by e-mail need an e-mail address.")
        if self.reminder_channel == ReminderChannel.SMS and not self.phone:
            errors["phone"] = _("Reminders by SMS need a phone number.")
        if (
            self.key_worker_id
            and self.organisation_id
            and self.key_worker.organisation_id != self.organisation_id
        ):
            errors["key_worker"] = _("The key worker must work in this organisation.")
        if errors:
            raise ValidationError(errors)


# Reasons the system writes itself are stored in English and shown in the reader's language;
# what a member of staff types is shown as typed.
SYSTEM_REASONS = {
    text: text
    for text in (
        gettext_noop("Referral received"),
        gettext_noop("New referral"),
        gettext_noop("Assessment appointment recorded"),
        gettext_noop("Attended his first session"),
        gettext_noop("Completed the programme"),
    )
}


class StatusChange(models.Model):
    """One step of a case's status history: who moved it, when, and why."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    changed_at = models.DateTimeField(_("when"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    exit_reason = models.ForeignKey(
        "ExitReason",
        verbose_name=_("exit reason"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def reason_display(self) -> str:
        return gettext(self.reason) if self.reason in SYSTEM_REASONS else self.reason


class Referral(OrganisationOwned, SubmittedOnce):
    """One referral of a man to the programme; a man can be referred more than once."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="referrals")
    source = models.ForeignKey(
        ReferralSource, verbose_name=_("source"), on_delete=models.PROTECT, related_name="+"
    )
    referrer_organisation = models.CharField(_("referring organisation"), max_length=200)
    referrer_name = models.CharField(_("referrer's name"), max_length=200, blank=True)
    referrer_contact = models.CharField(_("referrer's phone or e-mail"), max_length=200, blank=True)
    made_on = models.DateField(_("referral made on"), validators=[validate_not_future])
    received_on = models.DateField(_("received on"), validators=[validate_not_future])
    reason = models.TextField(_("reason for referral"))
    is_statutory = models.BooleanField(_("statutory (court or probation order)"), default=False)
    order_start_on = models.DateField(_("order starts"), null=True, blank=True)
    order_end_on = models.DateField(_("order ends"), null=True, blank=True)
    consent_to_share = models.BooleanField(_("consents to information sharing"), default=False)
    offences = models.ManyToManyField(
        "OffenceCategory", verbose_name=_("offences or incidents"), blank=True, related_name="+"
    )
    # What a court order carries (a Russian suspended sentence: Art. 73 of the Criminal Code).
    court_name = models.CharField(_("court"), max_length=200, blank=True)
    court_case_number = models.CharField(_("court case number"), max_length=60, blank=True)
    verdict_effective_on = models.DateField(
        _("verdict took effect on"), null=True, blank=True, validators=[validate_not_future]
    )
    articles = models.CharField(
        _("articles"), max_length=200, blank=True, help_text=_("For example: Art. 116.1, 119.")
    )
    probation_months = models.PositiveSmallIntegerField(
        _("months of probation"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    court_duties = models.TextField(
        _("duties the court set"), blank=True, help_text=_("As the verdict words them.")
    )
    supervising_inspector = models.CharField(_("supervising inspector"), max_length=200, blank=True)
    # submission_key (SubmittedOnce): a double-submitted intake creates one referral, not two.
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(received_on__gte=models.F("made_on")),
                name="referral_received_after_made",
            ),
            models.CheckConstraint(
                condition=models.Q(order_end_on__isnull=True)
                | models.Q(order_start_on__isnull=True)
                | models.Q(order_end_on__gt=models.F("order_start_on")),
                name="referral_order_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} · {self.received_on:%Y-%m-%d}"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.made_on and self.received_on and self.received_on < self.made_on:
            errors["received_on"] = _("A referral cannot be received before it was made.")
        if self.verdict_effective_on and self.probation_months and not self.order_end_on:
            # A suspended sentence runs its probation period from the day the verdict took effect.
            self.order_start_on = self.order_start_on or self.verdict_effective_on
            self.order_end_on = self.verdict_effective_on + relativedelta(
                months=self.probation_months
            )
        if self.order_start_on and self.order_end_on and self.order_end_on <= self.order_start_on:
            errors["order_end_on"] = _("The order must end after it starts.")
        if self.is_statutory and not self.order_end_on:
            errors["order_end_on"] = _("A statutory referral needs the date the order ends.")
        if (
            self.source_id
            and self.organisation_id
            and self.source.organisation_id != self.organisation_id
        ):
            errors["source"] = _("Choose one of this organisation's referral sources.")
        court_fields = (
            self.court_name,
            self.court_case_number,
            self.verdict_effective_on,
            self.probation_months,
            self.court_duties,
        )
        if any(court_fields) and not self.is_statutory:
            errors["is_statutory"] = _(
                "Court details were given: mark the referral as statutory (a court order)."
            )
        if self.is_statutory and self.source_id and self.source.code == "police-administrative":
            errors["is_statutory"] = _(
                "An administrative case of battery carries no court order: the referral is "
                "voluntary."
            )
        if errors:
            raise ValidationError(errors)


class AssessmentOutcome(models.TextChoices):
    SUITABLE = "suitable", _("Suitable")
    UNSUITABLE = "unsuitable", _("Unsuitable")
    NOT_ENGAGED = "not_engaged", _("Did not engage")


class Assessment(OrganisationOwned):
    """The suitability assessment: appointments, then an outcome and a risk level."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="assessments"
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=AssessmentOutcome.choices, blank=True
    )
    outcome_reason = models.TextField(_("reason"), blank=True)
    risk_level = models.CharField(
        _("risk level"), max_length=8, choices=RiskLevel.choices, blank=True
    )
    # Partner details collected at assessment go to the partner support service; only the fact
    # and the date are kept on the man's side.
    partner_details_passed_on = models.DateField(
        _("partner details passed to partner support on"), null=True, blank=True
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.get_outcome_display() or str(_("No outcome yet."))

    @property
    def is_decided(self) -> bool:
        return bool(self.outcome)


class AssessmentAppointment(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="appointments"
    )
    date = models.DateField(_("date"))
    attended = models.BooleanField(_("attended"), null=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("assessment appointment")
        verbose_name_plural = _("assessment appointments")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"


class CaseNote(OrganisationOwned, SubmittedOnce):
    """A dated, authored note on a man's case. Never edited: a correction is a new note."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="notes")
    category = models.ForeignKey(
        CaseNoteCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("note"))
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.category} · {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("A saved case note cannot be changed; add a correction."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A case note cannot be deleted; add a correction."))


class CaseTask(OrganisationOwned):
    """Something staff must do about a man's case, raised by a rule (absences, completion)."""

    class Kind(models.TextChoices):
        COMPLIANCE_REVIEW = "compliance_review", _("Compliance review")
        INFORM_REFERRER = "inform_referrer", _("Inform the referrer")
        CONFIRM_COMPLETION = "confirm_completion", _("Confirm completion")
        CONFIRM_NON_COMPLETION = "confirm_non_completion", _("Confirm non-completion")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(_("task"), max_length=30, choices=Kind.choices)
    # What raised it, so that the same rule firing twice raises one task.
    key = models.CharField(max_length=100)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("raised"), default=timezone.now)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("case task")
        verbose_name_plural = _("case tasks")
        ordering = ["done_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "kind", "key"], name="case_task_unique_key"
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_open(self) -> bool:
        return self.done_at is None


class RiskFlag(OrganisationOwned):
    """“Heightened risk: speak to the partner support team”, with a date, and nothing else.

    Raised from the partner support side when risk goes up or a new incident is recorded. It
    carries no partner identity, no source and no detail, by design."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="risk_flags"
    )
    raised_on = models.DateField(_("raised on"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk flag")
        verbose_name_plural = _("risk flags")
        ordering = ["-raised_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.raised_on:%Y-%m-%d}"


class RetentionRecord(OrganisationOwned):
    """A destruction record: personal data anonymised, whose, when, why, by whom and how.

    Made by retention (a case closed longer than the retention period) and by an erasure at
    the person's request. It keeps the case reference or the record's id, never a name; printed
    with the matching audit-log extract it is the act a Russian operator keeps for three years
    (152-FZ, Roskomnadzor order 179)."""

    class Subject(models.TextChoices):
        MAN = "man", _("A man on the programme")
        PARTNER = "partner", _("A partner or ex-partner")

    class Reason(models.TextChoices):
        RETENTION = "retention", _("The retention period after the case closed is over")
        REQUEST = "request", _("The person asked for the data to be erased")

    class Method(models.TextChoices):
        ANONYMISED = (
            "anonymised",
            _("Anonymised: names, contact details and free text overwritten in the database"),
        )

    subject = models.CharField(
        _("whose data"), max_length=8, choices=Subject.choices, default=Subject.MAN
    )
    reference = models.CharField(_("case reference"), max_length=20)
    # The public id of the man's case or of her record, to find the audit events about it.
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), default=timezone.now)
    reason = models.CharField(
        _("why"), max_length=10, choices=Reason.choices, default=Reason.RETENTION
    )
    method = models.CharField(
        _("how"), max_length=10, choices=Method.choices, default=Method.ANONYMISED
    )
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    removed = models.JSONField(_("removed"), default=dict)

    class Meta:
        verbose_name = _("destruction record")
        verbose_name_plural = _("destruction records")
        ordering = ["-anonymised_at"]

    def __str__(self) -> str:
        return f"{self.reference} {self.anonymised_at:%Y-%m-%d}"
