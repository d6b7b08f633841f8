"""The coalition's figures: members side by side and the whole, from the nightly snapshots, with
every cell and every difference between cells suppressed below the minimum."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from coalition import exports, figures
from coalition.models import Coalition, Membership
from outcomes.models import OutcomeSnapshot
from tests.factories import OrganisationFactory, UserFactory

TODAY = timezone.localdate()
LABELS = {"partner-safety:very_safe": ["Feels very safe", "Чувствует себя в безопасности"]}


def counts(starts: dict, *, pairs=None, referrals=None, ended=None) -> dict:
    return {
        "quarters": sorted(starts),
        "paired": {"partner-safety": {"very_safe": pairs or {}}},
        "labels": LABELS,
        "referrals": referrals or {},
        "source_labels": {"police": ["Police", "Полиция"]},
        "starts": starts,
        "ended": ended or {},
        "attrition": {},
        "attendance": {},
        "first_contact_days": {},
    }


@pytest.fixture
def coalition(db):
    return Coalition.objects.create(name="North", slug="north")


def member(coalition, slug, data, *, named=False, joined=None, taken_on=None):
    organisation = OrganisationFactory(slug=slug, name=f"Centre {slug}")
    Membership.objects.create(
        coalition=coalition,
        organisation=organisation,
        shown_by_name=named,
        joined_on=joined or TODAY - datetime.timedelta(days=400),
    )
    OutcomeSnapshot.objects.create(
        organisation=organisation,
        taken_on=taken_on or TODAY,
        counts=data,
        source_hash="x",
    )
    return organisation


def row(built, label):
    found = next(r for r in built.rows if r.label == label)
    return found.display(built.minimum)


def cells(built, label) -> dict[str, str]:
    """One row by column: the columns come in a shuffled order, by design."""
    return dict(zip([c.label for c in built.columns], row(built, label), strict=True))


def letter_of(built, organisation) -> str:
    return next(c.label for c in built.columns if c.key == f"org-{organisation.pk}")


def test_members_side_by_side_and_the_whole_named_only_with_consent(coalition):
    a = member(coalition, "a", counts({"2026-Q1": 20}, pairs={"2026-Q1": [20, 5, 15]}), named=True)
    b = member(coalition, "b", counts({"2026-Q1": 30}, pairs={"2026-Q1": [10, 2, 6]}))
    c = member(coalition, "c", counts({"2026-Q1": 10}, pairs={"2026-Q1": [10, 2, 2]}))
    built = figures.build(coalition)
    assert letter_of(built, a) == "Centre a"
    assert {letter_of(built, b), letter_of(built, c)} == {"Organisation A", "Organisation B"}
    starts = cells(built, "Starts")
    assert (starts["Centre a"], starts[letter_of(built, b)], starts["Coalition"]) == (
        "20",
        "30",
        "60",
    )
    safe = cells(built, "Feels very safe")
    assert safe["Centre a"] == "25% → 75% (n = 20)"
    assert safe[letter_of(built, b)] == "20% → 60% (n = 10)"
    assert safe["Coalition"] == "22% → 58% (n = 40)"


def test_a_single_unnamed_member_makes_nobody_named(coalition):
    member(coalition, "a", counts({"2026-Q1": 20}), named=True)
    member(coalition, "b", counts({"2026-Q1": 30}))
    built = figures.build(coalition)
    # Naming A would name B by elimination.
    assert sorted(c.label for c in built.columns) == [
        "Coalition",
        "Organisation A",
        "Organisation B",
    ]


def test_a_small_cell_is_hidden_and_so_is_the_one_that_would_give_it_away(coalition):
    a = member(coalition, "a", counts({"2026-Q1": 40}))
    b = member(coalition, "b", counts({"2026-Q1": 9}))
    c = member(coalition, "c", counts({"2026-Q1": 3}))
    built = figures.build(coalition)
    starts = cells(built, "Starts")
    # C (3) is under 5; with B shown, 52 - 40 - 9 would give C away: B is hidden too.
    assert starts[letter_of(built, a)] == "40" and starts["Coalition"] == "52"
    assert starts[letter_of(built, c)] == "fewer than 5"
    assert starts[letter_of(built, b)] == "hidden"  # 9 people: hidden, but not "fewer than 5"
    text = exports.to_csv(built).decode()
    assert ",9," not in text and ",3," not in text


def test_hidden_cells_that_together_reach_the_minimum_need_no_more_hiding(coalition):
    a = member(coalition, "a", counts({"2026-Q1": 40}))
    member(coalition, "b", counts({"2026-Q1": 3}))
    member(coalition, "c", counts({"2026-Q1": 4}))
    built = figures.build(coalition)
    starts = cells(built, "Starts")
    assert starts[letter_of(built, a)] == "40" and starts["Coalition"] == "47"
    assert sorted(starts.values()).count("fewer than 5") == 2


def test_a_year_cannot_be_found_from_all_time_and_the_other_years(coalition):
    a = member(coalition, "a", counts({"2025-Q4": 2, "2026-Q1": 30}))
    b = member(coalition, "b", counts({"2025-Q4": 20, "2026-Q1": 20}))
    this_year = cells(figures.build(coalition, period="2026"), "Starts")
    last_year = cells(figures.build(coalition, period="2025"), "Starts")
    ever = cells(figures.build(coalition), "Starts")
    # A's 2 of 2025 is hidden; 32 over all time - 30 in 2026 would give it away: A's 2026 is
    # hidden too, and then B's 2026, else 50 - 20 gives A's 2026 back.
    assert ever[letter_of(built := figures.build(coalition), a)] == "32"
    assert last_year[letter_of(built, a)] == "fewer than 5"
    assert this_year[letter_of(built, a)] == "hidden"
    assert this_year[letter_of(built, b)] == "hidden"
    assert this_year["Coalition"] == "50"


def test_a_period_with_too_few_people_shows_nothing(client_for, coalition):
    member(coalition, "a", counts({"2026-Q1": 40, "2025-Q3": 1}))
    analyst = UserFactory(role="coalition_analyst", organisation=None, coalition=coalition)
    built = figures.build(coalition, period="2025")
    assert built.too_few
    client = client_for(analyst, reauthenticated=True)
    page = client.get(reverse("coalition:index"), {"period": "2025"}).content.decode()
    assert "Too few people in this period" in page
    export = client.get(reverse("coalition:export", args=["csv"]), {"period": "2025"})
    assert export.status_code == 404


def test_an_organisation_that_leaves_stops_appearing(coalition):
    member(coalition, "a", counts({"2026-Q1": 40}))
    gone = member(coalition, "b", counts({"2026-Q1": 30}))
    Membership.objects.filter(organisation=gone).update(left_on=TODAY)
    built = figures.build(coalition)
    assert [c.label for c in built.columns] == ["Organisation A", "Coalition"]
    assert row(built, "Starts") == ["40", "40"]


def test_a_snapshot_from_before_joining_is_not_used(coalition):
    member(
        coalition,
        "a",
        counts({"2026-Q1": 40}),
        joined=TODAY,
        taken_on=TODAY - datetime.timedelta(days=1),
    )
    built = figures.build(coalition)
    assert row(built, "Starts") == ["—", "—"]
    assert built.columns[0].as_of is None


def test_figures_come_from_the_nightly_snapshot_not_from_the_rows(org_a, client_for):
    from outcomes.services import snapshot_build
    from tests.factories import ParticipantFactory, ReferralFactory

    coalition = org_a.coalition_analyst.coalition
    for _n in range(6):
        ReferralFactory(participant=ParticipantFactory(organisation=org_a.organisation))
    snapshot_build(organisation=org_a.organisation)
    assert row(figures.build(coalition), "Referrals") == ["6", "6"]
    ReferralFactory(participant=ParticipantFactory(organisation=org_a.organisation))
    assert row(figures.build(coalition), "Referrals") == ["6", "6"]  # until tonight's snapshot


def test_the_analyst_downloads_the_xlsx_and_the_page_costs_the_same_for_more_members(
    client_for, coalition, django_assert_max_num_queries
):
    for slug in "abc":
        member(coalition, slug, counts({"2026-Q1": 20}, referrals={"2026-Q1": {"police": 8}}))
    analyst = UserFactory(role="coalition_analyst", organisation=None, coalition=coalition)
    client = client_for(analyst, reauthenticated=True)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("coalition:index"))
    for slug in "defghij":
        member(coalition, slug, counts({"2026-Q1": 20}))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("coalition:index")).content.decode()
    assert "Organisation J" in page
    response = client.get(reverse("coalition:export", args=["xlsx"]))
    sheet = [
        [c for c in line if c is not None]
        for page in openpyxl.load_workbook(io.BytesIO(response.content)).worksheets
        for line in page.iter_rows(values_only=True)
    ]
    assert ["Starts", *["20"] * 10, "200"] in sheet
    # Short tabs a reader understands, within Excel's 31 characters.
    names = openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames
    assert names[:3] == ["Report", "Women's safety", "Programme"]
    assert all(len(name) <= 31 for name in names) and len(set(names)) == len(names)
    police = next(line for line in sheet if line and line[0] == "Referrals from: Police")
    assert sorted(police[1:-1]) == ["0"] * 7 + ["8"] * 3 and police[-1] == "24"


def test_another_coalitions_analyst_sees_none_of_these_members(client_for, coalition):
    member(coalition, "a", counts({"2026-Q1": 20}), named=True)
    other = Coalition.objects.create(name="South", slug="south")
    analyst = UserFactory(role="coalition_analyst", organisation=None, coalition=other)
    page = client_for(analyst).get(reverse("coalition:index")).content.decode()
    assert "Centre a" not in page and "Organisation A" not in page


def test_a_hidden_source_cannot_be_found_from_the_referrals_total_either(coalition):
    referrals = {"2026-Q1": {"police": 20, "court": 3, "self": 9}}
    a = member(coalition, "a", counts({"2026-Q1": 30}, referrals=referrals))
    b = member(coalition, "b", counts({"2026-Q1": 30}, referrals={"2026-Q1": {"police": 30}}))
    built = figures.build(coalition)
    ours, theirs = letter_of(built, a), letter_of(built, b)
    assert (cells(built, "Referrals")[ours], cells(built, "Referrals")[theirs]) == ("32", "30")
    # A's 3 from the court is hidden; 32 - 20 - 9 would give it away, so A's 9 goes too.
    assert cells(built, "Referrals from: Court order")[ours] == "fewer than 5"
    assert cells(built, "Referrals from: Self-referral")[ours] == "hidden"
    assert cells(built, "Referrals from: Police")[ours] == "20"
    # Along the rows: B had none from the court or self-referred, so the totals would give A's
    # hidden figures away: they are hidden too.
    assert cells(built, "Referrals from: Court order")["Coalition"] != "3"
    assert cells(built, "Referrals from: Self-referral")["Coalition"] == "hidden"


def test_a_members_own_source_names_never_show(coalition):
    data = counts({"2026-Q1": 30}, referrals={"2026-Q1": {"kazan-cei-3": 12, "police": 18}})
    data["source_labels"]["kazan-cei-3"] = ["Kazan CEI No. 3", "УИИ Казани № 3"]
    member(coalition, "a", data)
    member(coalition, "b", counts({"2026-Q1": 30}, referrals={"2026-Q1": {"police": 30}}))
    text = exports.to_csv(figures.build(coalition)).decode()
    assert "Kazan" not in text
    assert "Referrals from other sources" in text


def test_who_left_early_by_week_cannot_be_found_from_the_completion_figure(coalition):
    data = counts({"2026-Q1": 20}, ended={"2026-Q1": [20, 18]})
    data["attrition"] = {"2026-Q1": {"3": 0, "7": 2}}
    a = member(coalition, "a", data)
    member(coalition, "b", counts({"2026-Q1": 30}, ended={"2026-Q1": [30, 20]}))
    built = figures.build(coalition)
    ours = letter_of(built, a)
    completion = cells(built, "Completion (of those whose programme ended)")[ours]
    week = cells(built, "Left after 7 sessions")[ours]
    # 20 ended, 18 completed: 2 left early, all after week 7. Both cannot be shown.
    assert not (completion == "90% of 20" and week != "fewer than 5" and week != "hidden")
    assert week == "fewer than 5"
    assert completion == "hidden"


def test_the_mens_evidence_adds_up_across_members_with_its_interval(org_a, org_b):
    """Two members of the published shape: 52 of 200 starters and 80 of 200 who did not start
    re-offend (35% fewer, 95% CI 13% to 51%); 36 of 40 assessed completers show capacity and
    motivation."""
    from outcomes.services import snapshot_build
    from tests.evidence.shapes import published_shapes

    coalition = org_a.coalition_analyst.coalition
    Membership.objects.create(coalition=coalition, organisation=org_b.organisation)
    for org in (org_a, org_b):
        published_shapes(org.organisation, org.facilitator)
        snapshot_build(organisation=org.organisation)
    built = figures.build(coalition)
    starters = cells(built, "Men with an incident: all who started")
    assert sorted(starters.values()) == ["26% of 100", "26% of 100", "26% of 200"]
    assert cells(built, "Men with an incident: assessed suitable, did not start")["Coalition"] == (
        "40% of 200"
    )
    assert cells(built, "Harm per man (days): all who started")["Coalition"] == "30.0 (n = 200)"
    reduction = cells(
        built, "Fewer men with an incident: all who started against those who did not start"
    )
    assert reduction["Coalition"] == "35% fewer (95% CI 13% to 51%)"
    assert sorted(reduction.values()) == sorted(
        ["35% fewer (95% CI 2% to 57%)"] * 2 + ["35% fewer (95% CI 13% to 51%)"]
    )
    change = cells(built, "Completers showing both the capacity and the motivation to change")
    assert change["Coalition"] == "90% of 40"


def test_a_members_small_group_hides_its_reduction_too(coalition):
    evidence = {
        "months": 12,
        "reoffending": {
            "completers": {"2025-Q1": [30, 6, 8, 600.0, 60000.0]},
            "non_completers": {"2025-Q1": [3, 2, 2, 200.0, 20000.0]},
            "internal": {"2025-Q1": [4, 2, 3, 300.0, 45000.0]},
        },
        "change": {},
    }
    a = member(coalition, "a", {**counts({"2025-Q1": 33}), "evidence": evidence})
    member(coalition, "b", counts({"2025-Q1": 30}))
    built = figures.build(coalition)
    ours = letter_of(built, a)
    # Non-completers (3) are hidden, and with them completers (else 33 - 30 gives them away).
    assert cells(built, "Men with an incident: non-completers")[ours] == "fewer than 5"
    assert cells(built, "Men with an incident: completers")[ours] == "hidden"
    assert cells(built, "Men with an incident: all who started")[ours] == "24% of 33"
    # Four who did not start: hidden, and so is the reduction that would use them.
    reduction = cells(
        built, "Fewer men with an incident: all who started against those who did not start"
    )
    assert reduction[ours] == "hidden"


def test_in_russian_unnamed_members_get_russian_letters(coalition):
    from django.utils import translation

    member(coalition, "a", counts({"2026-Q1": 20}))
    member(coalition, "b", counts({"2026-Q1": 30}))
    with translation.override("ru"):
        built = figures.build(coalition)
    assert sorted(c.label for c in built.columns) == [
        "Коалиция",
        "Организация А",
        "Организация Б",
    ]
