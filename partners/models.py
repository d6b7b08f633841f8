"""The Integrated Support Service: partners and ex-partners of the men, behind the wall.

Nothing here is ever shown to the men's side of the service. Access goes through
``Partner.objects.for_user``, which answers nothing to anyone but a partner support worker of
the same organisation; contact details and what a woman says are encrypted at rest.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consent.models import ConsentRecord
from dvpp import names
from dvpp.abstract import OrganisationOwned, SubmittedOnce, Versioned
from dvpp.access import Area, OrganisationScopedQuerySet, user_can
from dvpp.crypto import EncryptedTextField
from dvpp.i18n import bilingual
from dvpp.search import SearchedModel, SearchedQuerySet, name_search_text
from participants.models import Language, RiskLevel, validate_not_future


class PartnerQuerySet(SearchedQuerySet, OrganisationScopedQuerySet):
    def for_user(self, user) -> "PartnerQuerySet":
        """The wall: partner records exist only for partner support workers."""
        if not user_can(user, Area.PARTNERS):
            return self.none()
        return super().for_user(user)


class Partner(names.PersonName, SearchedModel, OrganisationOwned, SubmittedOnce):
    """A partner or ex-partner of a man on the programme."""

    class Relationship(models.TextChoices):
        PARTNER = "partner", _("Current partner")
        EX_PARTNER = "ex_partner", _("Ex-partner")

    class ContactMethod(models.TextChoices):
        CALL = "call", _("Phone call")
        TEXT = "text", _("Text message")
        EMAIL = "email", _("E-mail")
        IN_PERSON = "in_person", _("In person")
        AGENCY = "agency", _("Through another agency")

    class State(models.TextChoices):
        NOT_CONTACTED = "not_contacted", _("Not yet contacted")
        ENGAGED = "engaged", _("Engaged")
        DECLINED = "declined", _("Declined support")
        NOT_REACHABLE = "not_reachable", _("Not reachable")
        CLOSED = "closed", _("Closed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("partner of"),
        on_delete=models.PROTECT,
        related_name="+",  # no way from a man's record to his partners
    )
    last_name = models.CharField(
        _("surname"), max_length=150, validators=[names.validate_single_script]
    )
    first_name = models.CharField(
        _("given name"), max_length=150, validators=[names.validate_single_script]
    )
    patronymic = models.CharField(
        _("patronymic"), max_length=150, blank=True, validators=[names.validate_single_script]
    )
    relationship = models.CharField(_("relationship"), max_length=12, choices=Relationship.choices)
    living_together = models.BooleanField(_("living together"), default=False)
    phone = EncryptedTextField(_("phone"), blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    safe_contact_method = models.CharField(
        _("safe way to contact her"),
        max_length=12,
        choices=ContactMethod.choices,
        default=ContactMethod.CALL,
    )
    safe_contact_notes = EncryptedTextField(
        _("safe contact times and notes"),
        blank=True,
        help_text=_("For example: text only; never leave voicemail; not after 6 pm; code word."),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.EN
    )
    children_count = models.PositiveSmallIntegerField(_("children"), null=True, blank=True)
    children_ages = models.CharField(_("children's ages"), max_length=100, blank=True)
    children_shared = models.BooleanField(_("children shared with him"), default=False)
    consent_to_contact = models.BooleanField(_("consents to contact"), default=False)
    consent_scope = models.CharField(_("what she agreed to"), max_length=300, blank=True)
    state = models.CharField(
        _("status"), max_length=14, choices=State.choices, default=State.NOT_CONTACTED
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("support worker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    risk_level = models.CharField(
        _("risk level"), max_length=8, choices=RiskLevel.choices, blank=True
    )
    # Where the clock of "time to first contact" starts: the day partner support received her
    # details (the referral that brought her to the service), not the day he was first referred.
    referred_on = models.DateField(
        _("passed to partner support on"),
        default=timezone.localdate,
        validators=[validate_not_future],
        help_text=_(
            "The day partner support received her details: time to first contact counts from it."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Erased at her request (partners.erasure): what identifies her is gone, dated rows stay.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)

    # submission_key (SubmittedOnce): a double-submitted "new partner" form records her once.

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["last_name", "first_name"]
        indexes = [
            # The partner list: one organisation's partners by name, a page at a time.
            models.Index(
                fields=["organisation", "last_name", "first_name"], name="partner_list_by_name"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    # What search_text is built from (dvpp.search.SearchedQuerySet keeps bulk writes right).
    SEARCHED_FIELDS = ("last_name", "first_name", "patronymic", "erased_at")

    def build_search_text(self) -> str:
        """Her names, as written and in Latin letters; nothing once her record is erased (an
        anonymised record's «—» is not searchable either)."""
        if self.erased_at is not None:
            return ""
        return name_search_text(self.last_name, self.first_name, self.patronymic)


class ContactAttempt(models.Model):
    class Outcome(models.TextChoices):
        REACHED = "reached", _("Spoke with her")
        NO_ANSWER = "no_answer", _("No answer")
        MESSAGE = "message", _("Safe message left")
        WRONG_NUMBER = "wrong_number", _("Wrong or dead number")
        DECLINED = "declined", _("She declined support")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="attempts")
    at = models.DateTimeField(_("when"))
    method = models.CharField(_("method"), max_length=12, choices=Partner.ContactMethod.choices)
    outcome = models.CharField(_("outcome"), max_length=14, choices=Outcome.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")
        ordering = ["-at", "-pk"]
        indexes = [
            # "Has she been reached?" for the awaiting-contact list and her first contact.
            models.Index(
                fields=["partner", "at"],
                condition=models.Q(outcome="reached"),
                name="contact_reached",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.get_outcome_display()}"


class RiskChecklist(OrganisationOwned, Versioned):
    """A versioned risk checklist (DASH style): yes/no items, a threshold, EN and RU texts.

    A new version is a new checklist; assessments already made keep pointing at theirs."""

    high_risk_threshold = models.PositiveSmallIntegerField(
        _("“yes” answers that make a case high risk"), default=14
    )
    medium_risk_threshold = models.PositiveSmallIntegerField(
        _("“yes” answers that make a case medium risk"), default=8
    )

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk checklist")
        verbose_name_plural = _("risk checklists")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="risk_checklist_unique_version"
            )
        ]


class RiskItem(models.Model):
    checklist = models.ForeignKey(RiskChecklist, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("number"))
    text_en = models.CharField(_("question (English)"), max_length=300)
    text_ru = models.CharField(_("question (Russian)"), max_length=300, blank=True)

    class Meta:
        ordering = ["checklist", "number"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "number"], name="risk_item_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"

    @property
    def text(self) -> str:
        return bilingual(self.text_en, self.text_ru)


class Answer(models.TextChoices):
    """An answer to one checklist question: "not asked" is a value, never read as "no"."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_ASKED = "not_asked", _("Not asked")


class RiskAssessment(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="assessments")
    checklist = models.ForeignKey(RiskChecklist, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField(_("date"))
    # The numbers of the items answered "yes" (the score counts them).
    yes_items = models.JSONField(_("answered yes"), default=list)
    # Every question's answer by its number ("1": "yes" | "no" | "not_asked").
    answers = models.JSONField(_("answers"), default=dict)
    score = models.PositiveSmallIntegerField(_("score"))
    professional_judgement = models.BooleanField(
        _("high risk on professional judgement"), default=False
    )
    judgement_note = EncryptedTextField(_("reasons for the judgement"), blank=True)
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.assessed_on:%Y-%m-%d} {self.score}"

    def answer(self, number: int) -> str:
        return self.answers.get(str(number), Answer.NOT_ASKED)

    @property
    def not_asked(self) -> int:
        """How many of the checklist's questions were not asked."""
        return sum(1 for value in self.answers.values() if value == Answer.NOT_ASKED)


class RiskLowering(models.Model):
    """A worker's decision to lower her risk level: who, when, from what to what, and why.

    Her level is never lowered by an assessment or a check-in without one of these."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="lowerings")
    from_level = models.CharField(_("from"), max_length=8, choices=RiskLevel.choices)
    to_level = models.CharField(_("to"), max_length=8, choices=RiskLevel.choices)
    reason = EncryptedTextField(_("why her risk is lower"))
    assessment = models.OneToOneField(
        RiskAssessment, on_delete=models.CASCADE, null=True, blank=True, related_name="lowering"
    )
    checkin = models.OneToOneField(
        "CheckIn", on_delete=models.CASCADE, null=True, blank=True, related_name="lowering"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("risk level lowered")
        verbose_name_plural = _("risk levels lowered")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assessment__isnull=False) | models.Q(checkin__isnull=False),
                name="risk_lowering_has_a_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.from_level}→{self.to_level}"


class MaracReferral(models.Model):
    """A referral to the Multi-Agency Risk Assessment Conference, raised by a high-risk case."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="marac")
    assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    raised_at = models.DateTimeField(default=timezone.now)
    referred_on = models.DateField(_("referred on"), null=True, blank=True)
    meeting_on = models.DateField(_("meeting date"), null=True, blank=True)
    outcome = EncryptedTextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("MARAC referral")
        verbose_name_plural = _("MARAC referrals")
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"MARAC {self.raised_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return not self.outcome


class SafetyPlan(models.Model):
    """One version of a partner's safety plan; a change saves a new version."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="safety_plans")
    version = models.PositiveSmallIntegerField(_("version"))
    contacts = EncryptedTextField(_("people and numbers to call"), blank=True)
    safe_places = EncryptedTextField(_("safe places"), blank=True)
    warning_signs = EncryptedTextField(_("warning signs"), blank=True)
    children = EncryptedTextField(_("children"), blank=True)
    review_on = models.DateField(_("review on"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("safety plan")
        verbose_name_plural = _("safety plans")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "version"], name="safety_plan_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class FeelsSafe(models.TextChoices):
    VERY = "very", _("Very safe")
    FAIRLY = "fairly", _("Fairly safe")
    NOT_VERY = "not_very", _("Not very safe")
    NOT_AT_ALL = "not_at_all", _("Not safe at all")


class IncidentType(models.TextChoices):
    PHYSICAL = "physical", _("Physical")
    SEXUAL = "sexual", _("Sexual")
    THREATS = "threats", _("Threats")
    EMOTIONAL = "emotional", _("Emotional")
    ECONOMIC = "economic", _("Economic")
    COERCIVE = "coercive", _("Coercive control")
    STALKING = "stalking", _("Stalking or harassment")
    CHILDREN = "children", _("Involving the children")


class CheckIn(SubmittedOnce):
    """A safety check-in with a partner."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="checkins")
    on = models.DateField(_("date"))
    method = models.CharField(_("method"), max_length=12, choices=Partner.ContactMethod.choices)
    feels_safe = models.CharField(_("how safe she feels"), max_length=10, choices=FeelsSafe.choices)
    incidents = models.JSONField(_("new incidents since last contact"), default=list, blank=True)
    injuries = models.BooleanField(_("injuries"), default=False)
    police_called = models.BooleanField(_("police called"), default=False)
    actions = EncryptedTextField(_("what she said and actions taken"), blank=True)
    # Blank: "unknown", not yet decided (never read as low).
    risk_level_after = models.CharField(
        _("risk level after"), max_length=8, choices=RiskLevel.choices, blank=True
    )
    next_due = models.DateField(_("next check-in due"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("safety check-in")
        verbose_name_plural = _("safety check-ins")
        ordering = ["-on", "-pk"]
        indexes = [
            # Her latest check-in (its next due date), read for every partner of a list.
            models.Index(fields=["partner", "-on", "-id"], name="checkin_latest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d}"

    @property
    def incident_labels(self) -> list[str]:
        return [str(IncidentType(code).label) for code in self.incidents]


class PartnerTask(models.Model):
    """Something the partner support service must do, raised by an event on the man's side
    (an unauthorised absence, an exit) or by risk (a MARAC referral)."""

    class Kind(models.TextChoices):
        CONTACT_TODAY = "contact_today", _("Contact her today")

    class Reason(models.TextChoices):
        ABSENCE = "absence", _("He missed a group session without a good reason")
        WITHDRAWN = "withdrawn", _("He withdrew from the programme")
        BREACHED = "breached", _("He breached the programme's conditions")
        EXCLUDED = "excluded", _("He was excluded from the programme")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(_("task"), max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=100)
    reason = models.CharField(_("why"), max_length=20, choices=Reason.choices)
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("partner support task")
        verbose_name_plural = _("partner support tasks")
        ordering = ["done_at", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "kind", "key"], name="partner_task_unique")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class PartnerConsent(ConsentRecord):
    """Her consent to the processing of her data, one per purpose: behind the wall with the
    rest of her record (the fields are those of every consent, ``consent.models``)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="consents")

    class Meta(ConsentRecord.Meta):
        verbose_name = _("her consent")
        verbose_name_plural = _("her consents")

    def __str__(self) -> str:
        return f"{self.template} {self.given_on:%Y-%m-%d}"
