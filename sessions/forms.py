from django import forms
from django.utils.translation import gettext_lazy as _

from dvpp.models import Role, User
from participants.forms import DateInput
from participants.models import Participant, Status

from .models import Attendance, Group, Programme


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _staff(organisation):
    return User.objects.filter(
        organisation=organisation,
        is_active=True,
        role__in=[Role.FACILITATOR, Role.MANAGER],
    ).order_by("last_name", "first_name")


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = [
            "programme",
            "name",
            "facilitator",
            "co_facilitator",
            "venue",
            "weekday",
            "start_time",
            "duration_minutes",
            "start_date",
            "capacity",
            "intake",
        ]
        widgets = {"start_date": DateInput(), "start_time": TimeInput()}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["programme"].queryset = Programme.objects.filter(
            organisation=organisation, is_archived=False
        )
        self.fields["facilitator"].queryset = _staff(organisation)
        self.fields["co_facilitator"].queryset = _staff(organisation)


class CancelSessionForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300)


class MoveSessionForm(forms.Form):
    date = forms.DateField(label=_("New date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Start time"), widget=TimeInput())
    reason = forms.CharField(label=_("Reason for moving"), max_length=300)


class AllocateForm(forms.Form):
    participant = forms.ModelChoiceField(
        label=_("Man on the waiting list"), queryset=Participant.objects.none()
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = Participant.objects.filter(
            organisation=organisation, status=Status.WAITING_LIST
        ).order_by("last_name", "first_name")


class MoveEnrolmentForm(forms.Form):
    to_group = forms.ModelChoiceField(label=_("Move to group"), queryset=Group.objects.none())

    def __init__(self, *args, group: Group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_group"].queryset = Group.objects.filter(
            organisation_id=group.organisation_id,
            programme_id=group.programme_id,
            is_archived=False,
        ).exclude(pk=group.pk)


class MarkForm(forms.Form):
    participant = forms.UUIDField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(choices=Attendance.Outcome.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class NoteForm(forms.Form):
    """The note on a man's mark, saved by itself."""

    participant = forms.UUIDField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
