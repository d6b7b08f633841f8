"""Case notes: dated and authored, never edited; a correction is a new note."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from participants import services
from participants.models import CaseNote
from tests.factories import ParticipantFactory, category_of


def test_facilitator_adds_a_note(client_for, org_a, case_a):
    response = client_for(org_a.facilitator).post(
        reverse("participants:add_note", args=[case_a.public_id]),
        {
            "category": category_of(org_a.organisation, "compliance").pk,
            "text": "Arrived late.",
            "submission_key": str(uuid.uuid4()),
        },
        follow=True,
    )
    assert "Note added." in response.content.decode()
    note = CaseNote.objects.get()
    assert (note.author, note.text, note.category.code) == (
        org_a.facilitator,
        "Arrived late.",
        "compliance",
    )


def test_a_double_submitted_note_is_saved_once(client_for, org_a, case_a):
    client = client_for(org_a.facilitator)
    data = {
        "category": category_of(org_a.organisation).pk,
        "text": "Once.",
        "submission_key": str(uuid.uuid4()),
    }
    client.post(reverse("participants:add_note", args=[case_a.public_id]), data)
    client.post(reverse("participants:add_note", args=[case_a.public_id]), data)
    assert CaseNote.objects.count() == 1


def test_an_empty_note_is_refused(client_for, org_a, case_a):
    response = client_for(org_a.facilitator).post(
        reverse("participants:add_note", args=[case_a.public_id]),
        {"category": category_of(org_a.organisation).pk, "text": "   "},
        follow=True,
    )
    assert "This field is required." in response.content.decode()
    assert not CaseNote.objects.exists()


def test_a_saved_note_cannot_be_changed_or_deleted(org_a, case_a):
    note = services.case_note_add(
        participant=case_a,
        by=org_a.facilitator,
        category=category_of(org_a.organisation),
        text="Original.",
    )
    note.text = "Rewritten."
    with pytest.raises(ValidationError):
        note.save()
    with pytest.raises(ValidationError):
        note.delete()
    assert CaseNote.objects.get().text == "Original."


def test_a_correction_is_a_new_note_that_points_at_the_old_one(client_for, org_a, case_a):
    original = services.case_note_add(
        participant=case_a,
        by=org_a.facilitator,
        category=category_of(org_a.organisation),
        text="Attended on Monday.",
    )
    client = client_for(org_a.manager)
    page = client.get(
        reverse("participants:detail", args=[case_a.public_id]) + f"?correct={original.pk}"
    ).content.decode()
    assert f'name="corrects" value="{original.pk}"' in page
    client.post(
        reverse("participants:add_note", args=[case_a.public_id]),
        {
            "category": category_of(org_a.organisation).pk,
            "text": "It was Tuesday.",
            "corrects": original.pk,
        },
    )
    correction = CaseNote.objects.exclude(pk=original.pk).get()
    assert correction.corrects == original
    original.refresh_from_db()
    assert original.text == "Attended on Monday."
    page = client.get(reverse("participants:detail", args=[case_a.public_id])).content.decode()
    assert "corrected later" in page


def test_a_correction_of_another_cases_note_is_refused(client_for, org_a, case_a):
    other = ParticipantFactory(organisation=org_a.organisation)
    note = services.case_note_add(
        participant=other,
        by=org_a.facilitator,
        category=category_of(org_a.organisation),
        text="Other man's note.",
    )
    response = client_for(org_a.facilitator).post(
        reverse("participants:add_note", args=[case_a.public_id]),
        {"category": category_of(org_a.organisation).pk, "text": "x", "corrects": note.pk},
    )
    assert response.status_code == 404
    assert CaseNote.objects.count() == 1


def test_a_note_category_of_another_organisation_is_refused(org_a, org_b, case_a):
    with pytest.raises(ValidationError):
        services.case_note_add(
            participant=case_a,
            by=org_a.facilitator,
            category=category_of(org_b.organisation),
            text="x",
        )
    assert not CaseNote.objects.exists()
