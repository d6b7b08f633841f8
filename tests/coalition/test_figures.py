"""The coalition's figures: members side by side and the whole, from the nightly snapshots, with
every cell and every difference between cells suppressed below the minimum."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from coalition import exports, figures
from dvpp.models import Coalition, Membership
from outcomes.models import OutcomeSnapshot
from tests.factories import OrganisationFactory, UserFactory

TODAY = timezone.localdate()
LABELS = {"partner-safety:feels-safe": ["Feels very safe", "Чувствует себя в безопасности"]}


def counts(starts: dict, *, pairs=None, referrals=None, ended=None) -> dict:
    return {
        "quarters": sorted(starts),
        "paired": {"partner-safety": {"feels-safe": pairs or {}}},
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


def test_members_side_by_side_and_the_whole_named_only_with_consent(coalition):
    member(coalition, "a", counts({"2026-Q1": 20}, pairs={"2026-Q1": [20, 5, 15]}), named=True)
    member(coalition, "b", counts({"2026-Q1": 30}, pairs={"2026-Q1": [10, 2, 6]}))
    built = figures.build(coalition)
    assert [c.label for c in built.columns] == ["Centre a", "Organisation B", "Coalition"]
    assert row(built, "Starts") == ["20", "30", "50"]
    assert row(built, "Feels very safe") == [
        "25% → 75% (n = 20)",
        "20% → 60% (n = 10)",
        "23% → 70% (n = 30)",
    ]


def test_a_small_cell_is_hidden_and_so_is_the_one_that_would_give_it_away(coalition):
    member(coalition, "a", counts({"2026-Q1": 40}))
    member(coalition, "b", counts({"2026-Q1": 9}))
    member(coalition, "c", counts({"2026-Q1": 3}))
    built = figures.build(coalition)
    # C (3) is under 5; with B shown, 52 - 40 - 9 would give C away: B is hidden too.
    assert row(built, "Starts") == ["40", "fewer than 5", "fewer than 5", "52"]
    text = exports.to_csv(built).decode()
    assert ",9," not in text and ",3," not in text


def test_hidden_cells_that_together_reach_the_minimum_need_no_more_hiding(coalition):
    member(coalition, "a", counts({"2026-Q1": 40}))
    member(coalition, "b", counts({"2026-Q1": 3}))
    member(coalition, "c", counts({"2026-Q1": 4}))
    built = figures.build(coalition)
    assert row(built, "Starts") == ["40", "fewer than 5", "fewer than 5", "47"]


def test_a_period_that_differs_from_all_time_by_a_few_people_is_hidden(coalition):
    member(coalition, "a", counts({"2025-Q4": 2, "2026-Q1": 30}))
    member(coalition, "b", counts({"2025-Q4": 20, "2026-Q1": 20}))
    built = figures.build(coalition, period="2026-Q1")
    # A's 30 in the quarter against 32 in all: the 2 of the other quarter would show.
    assert row(built, "Starts")[0] == "fewer than 5"
    assert row(built, "Starts")[1] == "fewer than 5"  # and B, else the total gives A away


def test_a_period_with_too_few_people_shows_nothing(client_for, coalition):
    member(coalition, "a", counts({"2026-Q1": 40, "2025-Q3": 1}))
    analyst = UserFactory(role="coalition_analyst", organisation=None, coalition=coalition)
    built = figures.build(coalition, period="2025-Q3")
    assert built.too_few
    client = client_for(analyst, reauthenticated=True)
    page = client.get(reverse("coalition:index"), {"period": "2025-Q3"}).content.decode()
    assert "Too few people in this period" in page
    export = client.get(reverse("coalition:export", args=["csv"]), {"period": "2025-Q3"})
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
    cells = [
        [c for c in line if c is not None]
        for line in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(
            values_only=True
        )
    ]
    assert ["Starts", *["20"] * 10, "200"] in cells
    assert ["Referrals from: Police", "8", "8", "8", *["0"] * 7, "24"] in cells


def test_another_coalitions_analyst_sees_none_of_these_members(client_for, coalition):
    member(coalition, "a", counts({"2026-Q1": 20}), named=True)
    other = Coalition.objects.create(name="South", slug="south")
    analyst = UserFactory(role="coalition_analyst", organisation=None, coalition=other)
    page = client_for(analyst).get(reverse("coalition:index")).content.decode()
    assert "Centre a" not in page and "Organisation A" not in page


def test_a_hidden_source_cannot_be_found_from_the_referrals_total_either(coalition):
    referrals = {"2026-Q1": {"police": 20, "court": 3, "self": 9}}
    data = counts({"2026-Q1": 30}, referrals=referrals)
    data["source_labels"].update(court=["Court", "Суд"], self=["Self", "Сам"])
    member(coalition, "a", data)
    member(coalition, "b", counts({"2026-Q1": 30}, referrals={"2026-Q1": {"police": 30}}))
    built = figures.build(coalition)
    assert row(built, "Referrals") == ["32", "30", "62"]
    # A's 3 from the court is hidden; 32 - 20 - 9 would give it away, so A's 9 goes too.
    assert row(built, "Referrals from: Court")[0] == "fewer than 5"
    assert row(built, "Referrals from: Self")[0] == "fewer than 5"
    assert row(built, "Referrals from: Police")[:2] == ["20", "30"]
    # Along the rows: B had none from the court or self-referred, so the totals would give A's
    # hidden figures away: they are hidden too.
    assert row(built, "Referrals from: Court") == ["fewer than 5", "0", "fewer than 5"]
    assert row(built, "Referrals from: Self") == ["fewer than 5", "0", "fewer than 5"]


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
    assert row(built, "Men with an incident: all who started") == [
        "26% of 100",
        "26% of 100",
        "26% of 200",
    ]
    assert row(built, "Men with an incident: assessed suitable, did not start")[-1] == "40% of 200"
    assert row(built, "Harm per man (days): all who started")[-1] == "30.0 (n = 200)"
    reduction = row(
        built, "Fewer men with an incident: all who started against those who did not start"
    )
    assert reduction == ["35% (2% to 57%)", "35% (2% to 57%)", "35% (13% to 51%)"]
    change = row(built, "Completers showing both the capacity and the motivation to change")
    assert change[-1] == "90% of 40"


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
    member(coalition, "a", {**counts({"2025-Q1": 33}), "evidence": evidence})
    member(coalition, "b", counts({"2025-Q1": 30}))
    built = figures.build(coalition)
    # Non-completers (3) are hidden, and with them completers (else 33 - 30 gives them away).
    assert row(built, "Men with an incident: non-completers")[0] == "fewer than 5"
    assert row(built, "Men with an incident: completers")[0] == "fewer than 5"
    assert row(built, "Men with an incident: all who started")[0] == "24% of 33"
    # Four who did not start: hidden, and so is the reduction that would use them.
    reduction = row(
        built, "Fewer men with an incident: all who started against those who did not start"
    )
    assert reduction[0] == "fewer than 5"
