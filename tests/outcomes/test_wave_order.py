"""A before wave that does not come before the after wave is refused, with a clear message, on
the dashboard, in its downloads, in the command and in the figures themselves."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from outcomes import figures

BACKWARDS = "?instrument=partner-safety&wave_from=exit&wave_to=baseline"
SAME = "?instrument=partner-safety&wave_from=exit&wave_to=exit"


@pytest.mark.parametrize("query", [BACKWARDS, SAME])
def test_the_dashboard_refuses_waves_out_of_order_and_shows_no_table(client_for, org_a, query):
    response = client_for(org_a.manager).get(reverse("outcomes:index") + query)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="filters-refused"' in text
    assert "must come before the after wave" in text
    assert 'data-testid="paired-table"' not in text
    assert 'data-testid="programme-figures"' not in text


def test_the_refusal_reads_in_russian(client_for, org_a):
    response = client_for(org_a.manager).get(
        reverse("outcomes:index") + BACKWARDS, HTTP_ACCEPT_LANGUAGE="ru"
    )
    text = response.content.decode()
    assert "должен быть раньше" in text
    assert "Окончание" in text and "Начало" in text


def test_waves_in_order_are_accepted(client_for, org_a):
    query = "?instrument=partner-safety&wave_from=baseline&wave_to=follow_up"
    text = client_for(org_a.manager).get(reverse("outcomes:index") + query).content.decode()
    assert 'data-testid="paired-table"' in text
    assert 'data-testid="filters-refused"' not in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_a_download_with_waves_out_of_order_goes_back_to_the_dashboard(client_for, org_a, fmt):
    client = client_for(org_a.manager, reauthenticated=True)
    response = client.get(reverse("outcomes:export", args=[fmt]) + BACKWARDS + "&lang=en")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("outcomes:index") + "?")
    assert "wave_from=exit" in response["Location"]
    assert "lang=" not in response["Location"]
    followed = client.get(response["Location"]).content.decode()
    assert "must come before the after wave" in followed


def test_the_command_refuses_waves_out_of_order(org_a):
    slug = org_a.organisation.slug
    with pytest.raises(CommandError, match="must come before the after wave"):
        call_command(
            "outcome_table", "--organisation", slug, "--before", "exit", "--after", "baseline"
        )
    with pytest.raises(CommandError, match="должен быть раньше"):
        call_command(
            "outcome_table", "--organisation", slug, "--before", "exit", "--after", "exit",
            "--language", "ru",
        )  # fmt: skip
    with pytest.raises(CommandError, match="from the list"):
        call_command("outcome_table", "--organisation", slug, "--before", "week-3")


def test_the_figures_refuse_waves_out_of_order(org_a):
    with pytest.raises(ValidationError):
        figures.paired_table(
            org_a.organisation, figures.Filters(wave_from="follow_up", wave_to="exit")
        )
