"""Organisations and the staff who work in them.

Every case record of the later apps belongs to one organisation and is reached only through the
querysets in :mod:`dvpp.access`; a user belongs to one organisation and has one role.
"""

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .i18n import bilingual, is_russian


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


def default_time_zone() -> str:
    return settings.TIME_ZONE


def default_language() -> str:
    return settings.LANGUAGE_CODE


class Organisation(models.Model):
    """A provider running a programme, such as a crisis centre or a probation service."""

    class Country(models.TextChoices):
        GB = "GB", _("United Kingdom")
        RU = "RU", _("Russia")

    name = models.CharField(
        _("name"),
        max_length=200,
        unique=True,
        error_messages={"unique": _("An organisation with this name already exists.")},
    )
    slug = models.SlugField(
        _("short name"),
        max_length=50,
        unique=True,
        error_messages={"unique": _("An organisation with this short name already exists.")},
        help_text=_("Used in commands and addresses: lower-case letters, digits and hyphens."),
    )
    # The country decides which shipped lookups and public holidays an organisation starts with.
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, default=Country.GB
    )
    holiday_region = models.CharField(
        _("public holidays of"),
        max_length=10,
        blank=True,
        help_text=_(
            "Where the country's public holidays differ by region: ENG, WLS, SCT or NIR in the "
            "United Kingdom. Empty: the holidays of the whole country."
        ),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=default_time_zone, validators=[validate_time_zone]
    )
    default_language = models.CharField(
        _("default language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=default_language,
    )
    is_active = models.BooleanField(_("active"), default=True)
    partner_contact_working_days = models.PositiveSmallIntegerField(
        _("working days to first contact with a partner"),
        default=10,
        help_text=_("Partners not reached by then appear on the “awaiting contact” list."),
    )
    follow_up_months = models.PositiveSmallIntegerField(
        _("months after exit for the follow-up survey"), default=12
    )
    min_cell_size = models.PositiveSmallIntegerField(
        _("smallest number of people shown in a figure"),
        default=5,
        validators=[MinValueValidator(5)],
        help_text=_("Figures about fewer people are hidden, so that nobody can be recognised."),
    )
    randomised_trial = models.BooleanField(
        _("suitable men were allocated to the programme at random"),
        default=False,
        help_text=_(
            "Tick only if the service ran a trial: otherwise the men who did not start are a "
            "comparison, not a control group, and reports say so."
        ),
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("hours before a session that reminders go out"), default=24
    )
    discreet_sms = models.BooleanField(
        _("discreet wording in text messages"),
        default=False,
        help_text=_("Text messages say “appointment”, never what the programme is."),
    )
    retention_months = models.PositiveSmallIntegerField(
        _("months a closed case is kept before it is anonymised"), default=72
    )
    # The last case reference handed out; read and bumped under a row lock.
    case_counter = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        import holidays

        try:
            regions = holidays.country_holidays(self.country).subdivisions
        except NotImplementedError:
            raise ValidationError(
                {
                    "country": _("There is no public-holiday calendar for the country %(code)s.")
                    % {"code": self.country}
                }
            ) from None
        if self.holiday_region and self.holiday_region not in regions:
            raise ValidationError(
                {
                    "holiday_region": _(
                        "%(region)s is not a region of this country's public holidays. "
                        "Choose one of: %(regions)s."
                    )
                    % {"region": self.holiday_region, "regions": ", ".join(regions) or "—"}
                }
            )


class Role(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator")
    PARTNER_SUPPORT = "partner_support", _("Partner support worker")
    MANAGER = "manager", _("Manager")
    ADMINISTRATOR = "administrator", _("Administrator")
    # Belongs to a coalition, not to an organisation: anonymous figures only.
    COALITION_ANALYST = "coalition_analyst", _("Coalition analyst")


class StaffQuerySet(models.QuerySet):
    def for_organisation(self, organisation: Organisation) -> "StaffQuerySet":
        return self.filter(organisation=organisation)


class StaffManager(UserManager.from_queryset(StaffQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A member of staff. The role decides what they may open; see :mod:`dvpp.access`."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="staff",
        null=True,
        blank=True,
    )
    # By name: the coalition app sits above the core, which never imports it.
    coalition = models.ForeignKey(
        "coalition.Coalition",
        verbose_name=_("coalition"),
        on_delete=models.PROTECT,
        related_name="analysts",
        null=True,
        blank=True,
        help_text=_("Coalition analysts only: they belong to a coalition, not an organisation."),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    # Russian names have a patronymic: «Фамилия Имя Отчество».
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)

    objects = StaffManager()

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            # A role is only ever held within an organisation (a coalition analyst's within a
            # coalition, and never with an organisation): no role floats free of the wall.
            models.CheckConstraint(
                condition=models.Q(role="")
                | (
                    ~models.Q(role="coalition_analyst")
                    & models.Q(organisation__isnull=False, coalition__isnull=True)
                )
                | models.Q(
                    role="coalition_analyst", organisation__isnull=True, coalition__isnull=False
                ),
                name="user_role_needs_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """The name in the order the active language expects.

        Russian: «Фамилия Имя Отчество»; English: "Given Patronymic Surname".
        """
        from .names import full_name

        return full_name(self.last_name, self.first_name, self.patronymic)

    def get_short_name(self) -> str:
        """How to greet someone: in Russian, politely by given name and patronymic."""
        if is_russian() and self.patronymic:
            return f"{self.first_name} {self.patronymic}".strip()
        return self.first_name

    def clean(self) -> None:
        super().clean()
        if self.role == Role.COALITION_ANALYST:
            if self.organisation_id or not self.coalition_id:
                raise ValidationError(
                    {
                        "coalition": _(
                            "A coalition analyst belongs to a coalition and to no organisation."
                        )
                    }
                )
        elif self.role and not self.organisation_id:
            raise ValidationError(
                {"organisation": _("A member of staff with a role must belong to an organisation.")}
            )
        elif self.coalition_id:
            raise ValidationError(
                {"coalition": _("Only a coalition analyst belongs to a coalition.")}
            )


class OrganisationLookup(models.Model):
    """A list an organisation keeps for itself, in English and Russian (referral sources, …).

    Each organisation starts from a shipped set for its country and may add, relabel and archive
    entries; an entry in use is archived, never deleted, so old records keep their meaning.
    Imports and integrations refer to an entry by its ``code``.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    code = models.SlugField(_("code"), max_length=50)
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_ru = models.CharField(_("label (Russian)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        abstract = True
        ordering = ["position", "label_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="%(app_label)s_%(class)s_unique_code"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return bilingual(self.label_en, self.label_ru)


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("The audit log cannot be changed."))

    def delete(self):
        raise ValidationError(_("The audit log cannot be deleted."))


class AuditEvent(models.Model):
    """Who did what to which record, when and from where. Append-only: never changed or
    deleted through the application. Holds ids, never the personal data itself."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        CREATE = "create", _("Created")
        CHANGE = "change", _("Changed")
        EXPORT = "export", _("Exported")
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
        LOCKED_OUT = "locked_out", _("Locked out")
        SECOND_FACTOR_ENROLLED = "2fa_enrolled", _("Set up two-factor sign-in")
        SECOND_FACTOR_PASSED = "2fa_passed", _("Passed the second factor")
        SECOND_FACTOR_FAILED = "2fa_failed", _("Failed the second factor")
        RECOVERY_CODE_USED = "recovery_code", _("Used a recovery code")
        SECOND_FACTOR_RESET = "2fa_reset", _("Reset two-factor sign-in")
        REAUTHENTICATED = "reauth", _("Confirmed identity")
        REAUTHENTICATION_FAILED = "reauth_failed", _("Failed to confirm identity")
        DELETE = "delete", _("Deleted")
        SUBJECT_ACCESS = "subject_access", _("Subject access package")
        ERASE = "erase", _("Erased")
        REFUSED = "refused", _("Refused")
        SESSION_ENDED = "session_ended", _("Signed out after inactivity")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", null=True
    )
    user = models.ForeignKey(
        "dvpp.User",
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("record"), max_length=50)
    object_id = models.CharField(_("record id"), max_length=64)
    what = models.CharField(_("what"), max_length=100, blank=True)
    # Codes and ids that say more of what was done (the fields changed, a mark and its
    # session), never a value typed about a person; read by the apps' audit.describe hooks.
    params = models.JSONField(_("details"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("from"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)
    # What made the change: "web" (a page), "admin", "command:<name>", "task:<name>", "system".
    via = models.CharField(_("through"), max_length=60, blank=True)
    # The user's role when it happened: a later change of role does not rewrite the past.
    role = models.CharField(_("role"), max_length=20, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("The audit log cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The audit log cannot be deleted."))

    @property
    def origin_label(self) -> str:
        """What made the change, in words, when it was not a page ("" for a page)."""
        kind, _sep, name = (self.via or "").partition(":")
        if kind in ("", "web"):
            return ""
        if kind == "admin":
            return gettext("in the admin site")
        if kind == "command":
            return gettext("by the command %(name)s") % {"name": name}
        if kind == "task":
            return gettext("by the scheduled task %(name)s") % {"name": name}
        return gettext("by the system")

    @property
    def role_label(self) -> str:
        """The role the user had then, in the reader's language."""
        try:
            return str(Role(self.role).label)
        except ValueError:
            return ""


class Notification(models.Model):
    """The outbox: every message the system sends, one row per unique key.

    The database decides what is due; a periodic task sends what is pending. The unique key
    (for a reminder: session, man, channel, kind) makes a duplicated or retried task harmless,
    and a message that fell due while the broker was down is still here when it is back.
    Nothing is ever sent to a partner: recipients are staff and the men."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("No longer needed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    to = models.CharField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    attachments = models.JSONField(default=list, blank=True)
    # What the message is about, so that it can be dropped if that no longer holds.
    session_id = models.BigIntegerField(null=True, blank=True)
    # The man a reminder or notice is for: a withdrawn consent drops what is waiting for him.
    participant_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    gateway_id = models.CharField(max_length=100, blank=True)
    # What the SMS gateway reported afterwards (dvpp.sms.delivery_report).
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    delivery_status = models.CharField(_("delivery"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return self.key

    @property
    def kind_label(self) -> str:
        """The kind in words, as the app that writes it names it (dvpp.hooks.outbox_kinds)."""
        from .message_kinds import kind_label

        return kind_label(self.kind)


class JobRun(models.Model):
    """When a scheduled job last finished, for /healthz and for the operator."""

    name = models.CharField(max_length=100, unique=True)
    finished_at = models.DateTimeField()
    detail = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return self.name

    @classmethod
    def record(cls, name: str, detail: str) -> None:
        """A scheduled job has just finished (each app's tasks call this at their end)."""
        cls.objects.update_or_create(
            name=name, defaults={"finished_at": timezone.now(), "detail": detail[:500]}
        )


class ClosureDateQuerySet(models.QuerySet):
    def for_user(self, user) -> "ClosureDateQuerySet":
        from .scoping import scope_to_organisation

        return scope_to_organisation(self, user)


class ClosureDate(models.Model):
    """A correction of the organisation's calendar (see :mod:`dvpp.calendar`): a day it is
    closed (its own closure, or a day off the government moved too late for the holiday
    library), or a day it is open although the library says otherwise."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("Closed")
        OPEN = "open", _("Open (a working day)")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"))
    kind = models.CharField(
        _("the organisation is"), max_length=6, choices=Kind.choices, default=Kind.CLOSED
    )
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)

    objects = ClosureDateQuerySet.as_manager()

    class Meta:
        # The table it had in the sessions app (moved to the core without a change of table).
        db_table = "group_sessions_closuredate"
        verbose_name = _("closure date")
        verbose_name_plural = _("closure dates")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "date"], name="closure_unique_date")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {bilingual(self.name_en, self.name_ru)}"
