"""Outcome surveys as data: versioned instruments, their questions and measures, the responses
people give at each wave, and the nightly snapshots of the figures.

Partner surveys are behind the wall: only partner support workers enter and read them; managers
see them only as suppressed aggregates; facilitators never.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dvpp.abstract import OrganisationOwned, SubmittedOnce, Versioned
from dvpp.access import OrganisationScopedQuerySet
from dvpp.i18n import bilingual


class Subject(models.TextChoices):
    PARTNER = "partner", _("Partner or ex-partner")
    MAN = "man", _("Man on the programme")


class Wave(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    MIDPOINT = "midpoint", _("Mid-point")
    EXIT = "exit", _("Exit")
    FOLLOW_UP = "follow_up", _("Follow-up")


class Instrument(OrganisationOwned, Versioned):
    """A survey, in one version. A new version is a new row: answers already given keep
    pointing at the version they answered."""

    code = models.SlugField(_("code"), max_length=50)
    subject = models.CharField(_("answered by"), max_length=10, choices=Subject.choices)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey instrument")
        verbose_name_plural = _("survey instruments")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code", "version"], name="instrument_unique_version"
            )
        ]


class Question(models.Model):
    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("Yes / no")
        CHOICE = "choice", _("One choice")
        SCALE = "scale", _("Scale")
        FREQUENCY = "frequency", _("Frequency")
        NUMBER = "number", _("Number")
        TEXT = "text", _("Text")

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField(_("number"))
    code = models.SlugField(_("code"), max_length=50)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    text_en = models.CharField(_("question (English)"), max_length=300)
    text_ru = models.CharField(_("question (Russian)"), max_length=300, blank=True)
    # For a choice: [[value, English label, Russian label], ...]; for a scale: [min, max].
    options = models.JSONField(_("options"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["instrument", "number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="question_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"

    @property
    def text(self) -> str:
        return bilingual(self.text_en, self.text_ru)

    def choices(self) -> list[tuple[str, str]]:
        """The allowed answers with their labels in the active language."""
        if self.kind == self.Kind.YES_NO:
            return [("yes", str(_("Yes"))), ("no", str(_("No")))]
        if self.kind == self.Kind.FREQUENCY:
            return [(value, str(label)) for value, label in FREQUENCY]
        if self.kind == self.Kind.CHOICE:
            return [(value, bilingual(en, ru)) for value, en, ru in self.options]
        if self.kind == self.Kind.SCALE:
            low, high = self.options
            return [(str(n), str(n)) for n in range(low, high + 1)]
        return []


FREQUENCY = [
    ("never", _("Never")),
    ("once", _("Once")),
    ("few", _("A few times")),
    ("often", _("Often")),
]


class Measure(models.Model):
    """What a response says on one outcome: the share of people whose answer to a question is
    one of the given values (e.g. injured = yes; feels very safe)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="measures")
    code = models.SlugField(_("code"), max_length=50)
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_ru = models.CharField(_("label (Russian)"), max_length=200, blank=True)
    question_code = models.SlugField(_("question"), max_length=50)
    values = models.JSONField(_("answers that count"), default=list)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["instrument", "position"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="measure_unique_code")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return bilingual(self.label_en, self.label_ru)


class Response(OrganisationOwned, SubmittedOnce):
    """One completed survey: a person, an instrument version and a wave.

    ``participant`` is always the man (for a partner survey, her partner), so that figures can be
    filtered by his group and referral source; ``person_key`` names who answered, and makes a
    second answer at the same wave of the same survey impossible."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="responses")
    instrument_code = models.SlugField(max_length=50, editable=False)
    wave = models.CharField(_("wave"), max_length=10, choices=Wave.choices)
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    person_key = models.CharField(max_length=30, editable=False)
    answered_on = models.DateField(_("answered on"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-answered_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "instrument_code", "wave", "person_key"],
                name="response_one_per_person_wave",
            )
        ]
        indexes = [models.Index(fields=["organisation", "instrument_code", "wave"])]

    def __str__(self) -> str:
        return f"{self.instrument} · {self.get_wave_display()} · {self.answered_on:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        self.instrument_code = self.instrument.code
        self.person_key = f"p{self.partner_id}" if self.partner_id else f"m{self.participant_id}"
        super().save(*args, **kwargs)


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    question_code = models.SlugField(max_length=50)
    value = models.CharField(max_length=1000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_one_per_question")
        ]
        indexes = [models.Index(fields=["question_code", "value"])]

    def __str__(self) -> str:
        return f"{self.question_code}={self.value}"


class OutcomeSnapshot(OrganisationOwned):
    """The figures as computed one night, with what they were computed from (counts and a hash
    of the answers), so a reported figure can be reproduced."""

    taken_on = models.DateField(_("date"))
    created_at = models.DateTimeField(auto_now_add=True)
    figures = models.JSONField(default=dict)
    # Raw counts by quarter (outcomes.counts): read only by the coalition's figures, which
    # suppress every cell; never shown as they are.
    counts = models.JSONField(default=dict)
    responses = models.PositiveIntegerField(default=0)
    answers = models.PositiveIntegerField(default=0)
    source_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-taken_on"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "taken_on"], name="snapshot_one_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.taken_on:%Y-%m-%d}"
