"""Consent to the processing of personal data, one record per purpose.

Russian law (Federal Law 152-FZ) asks for consent that is specific: for which purpose, which
data, which actions, by which operator, for how long, and how it can be withdrawn; health data
and other special categories need it in writing. UK services record the same as their lawful
basis and its limits. Each organisation keeps versioned consent templates in Russian and English;
a record points at the version that was signed or read out.

A man's consents are here; a partner's are behind the wall, in ``partners.PartnerConsent``, with
the same fields (:class:`ConsentRecord`).
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dvpp.abstract import OrganisationOwned, SubmittedOnce
from dvpp.access import OrganisationScopedQuerySet
from dvpp.i18n import bilingual
from dvpp.models import Organisation


class Subject(models.TextChoices):
    MAN = "man", _("A man on the programme")
    PARTNER = "partner", _("A partner or ex-partner")


class Purpose(models.TextChoices):
    PROGRAMME = "programme", _("Taking part in the programme")
    SPECIAL = "special", _("Health and other special categories of data")
    SHARING = "sharing", _("Sharing with the referrer")
    MESSAGES = "messages", _("Reminders and messages")
    SUPPORT = "support", _("Partner support")
    SURVEYS = "surveys", _("Outcome surveys")


# Without a valid consent for these, the person's record shows a warning.
REQUIRED = {Subject.MAN: [Purpose.PROGRAMME], Subject.PARTNER: [Purpose.SUPPORT]}


class ConsentTemplate(models.Model):
    """The wording of one consent, in both languages. Changing it makes a new version; records
    keep the version they were given on."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(_("for"), max_length=8, choices=Subject.choices)
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current"), default=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ru = models.CharField(_("title (Russian)"), max_length=200)
    data_en = models.TextField(_("which data (English)"))
    data_ru = models.TextField(_("which data (Russian)"))
    actions_en = models.TextField(_("which actions (English)"))
    actions_ru = models.TextField(_("which actions (Russian)"))
    special_categories = models.BooleanField(
        _("includes health or other special categories"),
        default=False,
        help_text=_("Then only a signed paper consent counts."),
    )
    valid_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), default=36, help_text=_("0: until withdrawn.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent template")
        verbose_name_plural = _("consent templates")
        ordering = ["subject", "purpose", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "subject", "purpose", "version"],
                name="consent_template_unique_version",
            ),
            models.UniqueConstraint(
                fields=["organisation", "subject", "purpose"],
                condition=models.Q(is_current=True),
                name="consent_template_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def _text(self, english: str, russian: str) -> str:
        return bilingual(english, russian)

    @property
    def title(self) -> str:
        return self._text(self.title_en, self.title_ru)

    @property
    def data(self) -> str:
        return self._text(self.data_en, self.data_ru)

    @property
    def actions(self) -> str:
        return self._text(self.actions_en, self.actions_ru)

    def valid_until(self, given_on: datetime.date) -> datetime.date | None:
        if not self.valid_months:
            return None
        return given_on + relativedelta(months=self.valid_months) - datetime.timedelta(days=1)


class How(models.TextChoices):
    SIGNED = "signed", _("Signed on paper")
    IN_PERSON = "in_person", _("Given in person")
    PHONE = "phone", _("Given by phone")


class ConsentRecord(OrganisationOwned, SubmittedOnce):
    """One consent of one person for one purpose, and its withdrawal."""

    template = models.ForeignKey(
        ConsentTemplate, verbose_name=_("consent"), on_delete=models.PROTECT, related_name="+"
    )
    given_on = models.DateField(_("given on"))
    how = models.CharField(_("how it was given"), max_length=10, choices=How.choices)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_how = models.CharField(
        _("how it was withdrawn"), max_length=10, choices=How.choices, blank=True
    )
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-given_on", "-pk"]

    def is_valid(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        if self.given_on > on or (self.withdrawn_on and self.withdrawn_on <= on):
            return False
        return self.valid_until is None or self.valid_until >= on


class ManConsent(ConsentRecord):
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="consents"
    )

    class Meta(ConsentRecord.Meta):
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.template} {self.given_on:%Y-%m-%d}"


class SubjectRequest(OrganisationOwned, SubmittedOnce):
    """A person's request about their data, with its legal deadline: 10 working days in Russia
    (152-FZ, Art. 14 and 20), one month in the United Kingdom (UK GDPR, Art. 12). A partner's
    requests are reached only from her record, behind the wall."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("A copy of the data held")
        ERASURE = "erasure", _("Erasure of the data")
        RECTIFICATION = "rectification", _("Correction of the data")

    subject = models.CharField(_("whose"), max_length=8, choices=Subject.choices)
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, null=True, related_name="+"
    )
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.CASCADE, null=True, related_name="+"
    )
    kind = models.CharField(_("request"), max_length=14, choices=Kind.choices)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("answer due by"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("request about personal data")
        verbose_name_plural = _("requests about personal data")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(participant__isnull=False) | models.Q(partner__isnull=False),
                name="subject_request_has_a_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on:%Y-%m-%d}"

    @property
    def is_overdue(self) -> bool:
        return self.answered_on is None and self.due_on < timezone.localdate()
