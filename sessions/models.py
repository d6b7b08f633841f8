"""The group programme: programmes and their curriculum, groups, dated sessions, enrolments and
the attendance register.

A programme's length and rules are data, so one system runs a 30-week programme and a short
two-workshop scheme alike.
"""

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dvpp.abstract import OrganisationOwned
from dvpp.access import OrganisationScopedQuerySet
from dvpp.i18n import bilingual

from .handouts import HANDOUT_HELP, validate_handout_file


class Programme(OrganisationOwned):
    """A group programme: how many sessions, how far apart, and the rules that apply."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    session_count = models.PositiveSmallIntegerField(
        _("number of sessions"), default=30, validators=[MinValueValidator(1)]
    )
    interval_days = models.PositiveSmallIntegerField(
        _("days between sessions"), default=7, validators=[MinValueValidator(1)]
    )
    session_minutes = models.PositiveSmallIntegerField(
        _("session length (minutes)"), default=150, validators=[MinValueValidator(15)]
    )
    # Rules, with the defaults of a 30-week programme.
    absence_review_after = models.PositiveSmallIntegerField(
        _("unauthorised absences before a compliance review"),
        default=3,
        validators=[MinValueValidator(1)],
    )
    completion_min_sessions = models.PositiveSmallIntegerField(
        _("sessions attended for completion"), default=24
    )
    # Rules of a short scheme such as a police cautioning programme (CARA: two workshops). The
    # defaults leave a 30-week programme as it is.
    complete_within_days = models.PositiveSmallIntegerField(
        _("days to complete it in"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Leave empty for no deadline. Otherwise a man must have attended what completion "
            "needs within this many days of the date his latest referral was made (“referral "
            "made on”). For a police caution the officer refers on the day of the caution, so "
            "this is the deadline the caution's conditions set (for example 84 days, 12 weeks). "
            "When it passes without completion, his case gets a task to confirm non-completion."
        ),
    )
    missed_session_restarts = models.BooleanField(
        _("a missed session means starting again"),
        default=False,
        help_text=_(
            "When a man misses a session (authorised or not), his place starts again at the "
            "next first session, what he attended before no longer counts towards completion, "
            "and his case gets a task to inform the referrer."
        ),
    )
    report_outcome_to_referrer = models.BooleanField(
        _("report completion and non-completion to the referrer"),
        default=False,
        help_text=_(
            "When the end of a man's programme is confirmed, his case gets a task to tell the "
            "referrer whether he completed it."
        ),
    )
    is_archived = models.BooleanField(_("archived"), default=False)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return bilingual(self.name_en, self.name_ru)

    @property
    def span_days(self) -> int:
        """Days from the first session to the last, with nothing cancelled or skipped."""
        return (self.session_count - 1) * self.interval_days

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.completion_min_sessions and self.completion_min_sessions > self.session_count:
            errors["completion_min_sessions"] = _(
                "Completion cannot need more sessions than the programme has."
            )
        if (
            self.complete_within_days
            and self.session_count
            and self.interval_days
            and self.complete_within_days < self.span_days
        ):
            errors["complete_within_days"] = _(
                "%(days)s days is shorter than the %(span)s days from the first session to the "
                "last: no one could complete in time. Allow at least %(span)s days."
            ) % {"days": self.complete_within_days, "span": self.span_days}
        if errors:
            raise ValidationError(errors)


class Theme(models.Model):
    """The curriculum theme of one week of a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="themes")
    number = models.PositiveSmallIntegerField(_("week"), validators=[MinValueValidator(1)])
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ru = models.CharField(_("title (Russian)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    # What the facilitators do in the session, step by step: travels in programme packages.
    plan_en = models.TextField(_("session plan (English)"), blank=True)
    plan_ru = models.TextField(_("session plan (Russian)"), blank=True)
    is_core = models.BooleanField(
        _("core theme"), default=True, help_text=_("A man must have had it to complete.")
    )

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="theme_unique_week")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def title(self) -> str:
        return bilingual(self.title_en, self.title_ru)

    @property
    def description(self) -> str:
        return bilingual(self.description_en, self.description_ru)

    @property
    def plan(self) -> str:
        return bilingual(self.plan_en, self.plan_ru)


class Handout(models.Model):
    """A file given out in one week's session (a worksheet, a leaflet). Downloaded only through
    the handout page, by signed-in staff of the programme's organisation: never a public
    address."""

    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.CASCADE, related_name="handouts"
    )
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ru = models.CharField(_("title (Russian)"), max_length=200, blank=True)
    file = models.FileField(
        _("file"),
        upload_to="handouts/",
        max_length=255,
        validators=[validate_handout_file],
        help_text=HANDOUT_HELP,
    )

    class Meta:
        verbose_name = _("handout")
        verbose_name_plural = _("handouts")
        ordering = ["theme", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return bilingual(self.title_en, self.title_ru)

    @property
    def filename(self) -> str:
        return os.path.basename(self.file.name)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Group(OrganisationOwned):
    """A group running a programme on a fixed weekday, with two co-facilitators."""

    class Intake(models.TextChoices):
        ROLLING = "rolling", _("Rolling: men join at any week")
        CLOSED = "closed", _("Closed: everyone starts in week 1")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="groups"
    )
    name = models.CharField(_("name"), max_length=100)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    co_facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-facilitator"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    venue = models.CharField(_("venue"), max_length=200)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=150,
        validators=[MinValueValidator(15), MaxValueValidator(600)],
    )
    start_date = models.DateField(_("first session"))
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=12, validators=[MinValueValidator(1), MaxValueValidator(40)]
    )
    intake = models.CharField(
        _("intake"), max_length=10, choices=Intake.choices, default=Intake.ROLLING
    )
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["weekday", "start_time", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors = {}
        if (
            self.start_date
            and self.weekday is not None
            and self.start_date.weekday() != int(self.weekday)
        ):
            errors["start_date"] = _("The first session must fall on the group's weekday.")
        if self.co_facilitator_id and self.co_facilitator_id == self.facilitator_id:
            errors["co_facilitator"] = _("The two co-facilitators must be different people.")
        for field in ("facilitator", "co_facilitator"):
            user = getattr(self, field, None) if getattr(self, f"{field}_id") else None
            if user is not None and user.organisation_id != self.organisation_id:
                errors[field] = _("Choose someone who works in this organisation.")
        if self.programme_id and self.programme.organisation_id != self.organisation_id:
            errors["programme"] = _("Choose one of this organisation's programmes.")
        if errors:
            raise ValidationError(errors)


class Session(models.Model):
    """One dated meeting of a group, covering one week's theme."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="sessions"
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="+"
    )
    cycle = models.PositiveSmallIntegerField(_("cycle"), default=1)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    moved_from = models.DateField(_("moved from"), null=True, blank=True)
    move_reason = models.CharField(_("reason for moving"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "start_time", "pk"]
        indexes = [models.Index(fields=["group", "date"]), models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.group} · {self.date:%Y-%m-%d} · {self.theme}"

    @property
    def week(self) -> int:
        return self.theme.number

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def starts_at(self):
        return timezone.make_aware(
            timezone.datetime.combine(self.date, self.start_time),
            timezone.get_current_timezone(),
        )


class Enrolment(OrganisationOwned):
    """A man's place in a group, from the session he starts at until he leaves or finishes.

    ``prior_sessions`` counts the sessions he already had in other groups, so a man moved
    between groups still receives the programme's full number of sessions.

    A place that ended (moved, restarted, finished) covers the sessions before ``ended_on``. In a
    programme where a missed session means starting again, the place he missed a session in is
    ``restarted`` and ends the day after that session; a new place starts at the next first
    session, and only sessions of places after his last restart count towards completion.
    """

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        MOVED = "moved", _("Moved to another group")
        FINISHED = "finished", _("Finished")
        LEFT = "left", _("Left the programme")
        RESTARTED = "restarted", _("Missed a session: started again")

    # Places that ended before their sessions did: they cover only the sessions before ended_on.
    ENDED_EARLY = frozenset({State.MOVED, State.RESTARTED})

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="enrolments"
    )
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="enrolments")
    first_session = models.ForeignKey(
        Session, verbose_name=_("first session"), on_delete=models.PROTECT, related_name="+"
    )
    prior_sessions = models.PositiveSmallIntegerField(default=0)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ACTIVE)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One active place per man at a time: a double-submitted allocation cannot make two.
            models.UniqueConstraint(
                fields=["participant"],
                condition=models.Q(state="active"),
                name="enrolment_one_active_per_man",
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.group}"


class Attendance(OrganisationOwned):
    """One man's mark on one session's register."""

    class Outcome(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        AUTHORISED = "authorised", _("Authorised absence")
        UNAUTHORISED = "unauthorised", _("Unauthorised absence")

    ATTENDED = frozenset({Outcome.PRESENT, Outcome.LATE})

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendance")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="attendance"
    )
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="attendance")
    outcome = models.CharField(_("attendance"), max_length=14, choices=Outcome.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance mark")
        verbose_name_plural = _("attendance marks")
        constraints = [
            # Tapping twice, or two facilitators at once, updates one mark: never two.
            models.UniqueConstraint(
                fields=["session", "participant"], name="attendance_one_mark_per_man"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.session.date:%Y-%m-%d} · {self.get_outcome_display()}"

    @property
    def attended(self) -> bool:
        return self.outcome in self.ATTENDED
