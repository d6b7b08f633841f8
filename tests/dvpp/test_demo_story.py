"""The demo tells a true story: statuses agree with the sessions attended and their dates,
referrers with referral sources, completed cases took the programme's time, the Russian
centre's groups are in Russian, every role's home page has work on it the day the demo is
seeded, and seeding again changes nothing."""

import datetime
import re

import pytest
from django.apps import apps
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from consent.models import ManConsent, SubjectRequest
from dvpp.demo import DEMO_ORGANISATIONS, seed_all
from dvpp.models import Notification, Role, User
from participants.models import (
    CaseNote,
    CaseTask,
    Participant,
    Referral,
    RiskFlag,
    Status,
    StatusChange,
)
from partners import selectors as partner_selectors
from partners.models import CheckIn, MaracReferral, Partner, PartnerTask, SafetyPlan
from sessions.models import Attendance, Group
from tests.demo_data import demo_user, seeded_demo  # noqa: F401 - the module's fixture

pytestmark = pytest.mark.usefixtures("seeded_demo")

SLUGS = [spec.slug for spec in DEMO_ORGANISATIONS]
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
LATIN = re.compile(r"[A-Za-z]")


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _men(slug: str) -> list[Participant]:
    return list(
        Participant.objects.filter(organisation__slug=slug)
        .prefetch_related("status_changes", "attendance__session", "referrals")
        .order_by("reference")
    )


def _history(man) -> list[StatusChange]:
    return sorted(man.status_changes.all(), key=lambda change: change.pk)


def test_every_status_history_runs_forward_and_ends_in_his_status(db):
    now = timezone.now()
    for slug in SLUGS:
        for man in _men(slug):
            history = _history(man)
            moments = [change.changed_at for change in history]
            assert history, man.reference
            assert moments == sorted(moments), man.reference
            assert moments[-1] <= now, man.reference
            assert history[0].to_status == Status.REFERRED, man.reference
            assert history[-1].to_status == man.status, man.reference
            assert man.status_changed_at == moments[-1], man.reference
            received = min(referral.received_on for referral in man.referrals.all())
            assert _day(moments[0]) == received, man.reference


def test_statuses_agree_with_the_sessions_he_attended(db):
    """In the programme since the first session he attended; no marks before he started or
    for a man who never started; "for 1 week" beside a dozen sessions is impossible."""
    for slug in SLUGS:
        for man in _men(slug):
            marks = sorted(man.attendance.all(), key=lambda mark: mark.session.date)
            started = [c for c in _history(man) if c.to_status == Status.IN_PROGRAMME]
            if not started:
                assert marks == [], man.reference
                continue
            assert marks, man.reference
            attended = [mark for mark in marks if mark.outcome in Attendance.ATTENDED]
            assert marks[0] == attended[0], man.reference
            assert _day(started[0].changed_at) == marks[0].session.date, man.reference
            if man.status == Status.IN_PROGRAMME:
                weeks = (timezone.localdate() - _day(man.status_changed_at)).days // 7
                assert weeks >= len(marks) - 1, man.reference
            else:
                assert _day(man.status_changed_at) >= marks[-1].session.date, man.reference


def test_no_completed_case_lasts_under_a_week(db):
    completed = [man for slug in SLUGS for man in _men(slug) if man.status == Status.COMPLETED]
    assert len(completed) > 10
    for man in completed:
        history = _history(man)
        assert history[-1].changed_at - history[0].changed_at >= datetime.timedelta(weeks=1)
        marks = man.attendance.all()
        assert len(marks) >= 2, man.reference  # the two workshops, or the 30-week programme


# A word each referrer must have, by referral source: the self-referral is his own, the police
# refer through the police, a court through a court.
REFERRER_WORDS = {
    "court": r"Court|суд",
    "probation": r"Probation",
    "police": r"Police|полиц",
    "police-caution": r"Police",
    "police-administrative": r"полиц",
    "penitentiary-inspectorate": r"УИИ",
    "childrens-services": r"Children",
    "guardianship": r"опек",
    "minors-commission": r"КДН",
    "self": r"^(Self-referral|Самообращение)$",
    "victim": r"пострадавш",
}


def test_referrers_agree_with_referral_sources(db):
    referrals = Referral.objects.filter(organisation__slug__in=SLUGS).select_related("source")
    checked = 0
    for referral in referrals.order_by("pk"):
        pattern = REFERRER_WORDS.get(referral.source.code)
        if pattern is None:
            continue
        assert re.search(pattern, referral.referrer_organisation, re.IGNORECASE), (
            referral.source.code,
            referral.referrer_organisation,
        )
        checked += 1
    assert checked > 100
    self_referred = referrals.filter(source__code="self")
    assert self_referred.exists()
    assert not self_referred.exclude(referrer_name="").exists()


def test_the_russian_centre_writes_its_groups_venues_and_notes_in_russian(db):
    groups = list(Group.objects.filter(organisation__slug="demo-ru").order_by("pk"))
    assert len(groups) >= 4
    for group in groups:
        assert CYRILLIC.search(group.name) and not LATIN.search(group.name), group.name
        assert CYRILLIC.search(group.venue) and not LATIN.search(group.venue), group.venue
    notes = CaseNote.objects.filter(participant__organisation__slug="demo-ru")
    assert notes.exists()
    assert all(CYRILLIC.search(note.text) for note in notes)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_home_card_has_something_on_the_day_of_seeding(db, slug):
    spec = next(spec for spec in DEMO_ORGANISATIONS if spec.slug == slug)
    today = timezone.localdate()
    support = demo_user(spec, Role.PARTNER_SUPPORT)
    partners = Partner.objects.filter(organisation__slug=slug)
    men = Participant.objects.filter(organisation__slug=slug)

    # Partner support: first contacts, check-ins overdue and due today, today's tasks, MARAC
    # referrals to make, safety plans to review.
    assert partner_selectors.awaiting_contact(support)
    assert partner_selectors.overdue_checkins(support)
    due = [
        CheckIn.objects.filter(partner=her).order_by("-on", "-pk").first()
        for her in partners.filter(state=Partner.State.ENGAGED).order_by("pk")
    ]
    assert any(checkin and checkin.next_due == today for checkin in due)
    assert PartnerTask.objects.filter(
        partner__in=partners,
        kind=PartnerTask.Kind.CONTACT_TODAY,
        due_on=today,
        done_at__isnull=True,
    ).exists()
    assert MaracReferral.objects.filter(
        partner__in=partners, outcome="", referred_on__isnull=True
    ).exists()
    assert SafetyPlan.objects.filter(partner__in=partners, review_on__lte=today).exists()

    # The facilitator: a risk flag to acknowledge, a compliance review, today's sessions.
    assert RiskFlag.objects.filter(participant__in=men, acknowledged_at__isnull=True).exists()
    assert CaseTask.objects.filter(
        participant__in=men, kind=CaseTask.Kind.COMPLIANCE_REVIEW, done_at__isnull=True
    ).exists()
    assert Group.objects.filter(organisation__slug=slug, sessions__date=today).exists()

    # The manager: a task to decide, a case without consent, a request near its deadline, a
    # reminder that failed.
    assert CaseTask.objects.filter(
        participant__in=men,
        kind__in=[CaseTask.Kind.CONFIRM_COMPLETION, CaseTask.Kind.CONFIRM_NON_COMPLETION],
        done_at__isnull=True,
    ).exists()
    assert men.exclude(pk__in=ManConsent.objects.values("participant")).exists()
    assert SubjectRequest.objects.filter(
        organisation__slug=slug,
        answered_on__isnull=True,
        due_on__gte=today,
        due_on__lte=today + datetime.timedelta(days=7),
    ).exists()
    assert Notification.objects.filter(
        organisation__slug=slug, state=Notification.State.FAILED
    ).exists()

    # The administrator: an account without two-factor sign-in.
    enrolled = TOTPDevice.objects.filter(confirmed=True).values("user")
    assert User.objects.filter(organisation__slug=slug).exclude(pk__in=enrolled).exists()


def _snapshot() -> dict[str, object]:
    """Every row count, and the dates the story turns on."""
    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "admin", "axes"}
        or model._meta.label.startswith("group_sessions")
    }
    counts["history"] = list(StatusChange.objects.order_by("pk").values_list("changed_at"))
    counts["since"] = list(Participant.objects.order_by("pk").values_list("status_changed_at"))
    counts["due"] = list(CheckIn.objects.order_by("pk").values_list("next_due"))
    counts["marks"] = list(Attendance.objects.order_by("pk").values_list("outcome"))
    return counts


def test_seeding_again_changes_nothing(db, settings):
    settings.DEBUG = True
    before = _snapshot()
    seed_all()
    assert _snapshot() == before


def test_what_the_demo_wrote_is_audited_as_made_by_seed_demo(db):
    """The demo seeds through the services, which audit their changes: each row names the
    command (a worker reading the demo's audit log is not told a page made them)."""
    from dvpp.models import AuditEvent

    rows = AuditEvent.objects.exclude(action=AuditEvent.Action.VIEW)
    assert rows.exists()
    assert set(rows.values_list("via", flat=True)) == {"command:seed_demo"}
