from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dvpp.forms import SubmissionKeyField
from participants.forms import DateInput

from . import figures
from .models import ComparisonCohort, Incident, IncidentCategory, Rating


class ReportForm(forms.Form):
    months = forms.TypedChoiceField(
        label=_("Window after the start"),
        coerce=int,
        choices=ComparisonCohort.Window.choices,
        initial=12,
    )
    # No period filter: a year's figures beside all time (or beside the other years) would
    # give a few men away by subtraction. Every man whose window has passed counts.
    comparison = forms.ChoiceField(label=_("Comparison group"), initial=figures.INTERNAL)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comparison"].choices = [
            (figures.INTERNAL, gettext("Assessed suitable, did not start (our records)")),
            *[
                (str(cohort.pk), f"{cohort.name} ({cohort.get_window_months_display()})")
                for cohort in ComparisonCohort.objects.filter(organisation=organisation)
            ],
        ]

    def options(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "months": data.get("months") or 12,
            "comparison": data.get("comparison") or figures.INTERNAL,
        }


class IncidentForm(forms.Form):
    """An incident after his referral, as the men's side records it (never one she reported:
    partner support records those on her record)."""

    submission_key = SubmissionKeyField()
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput)
    known_via = forms.ChoiceField(
        label=_("Known through"),
        choices=[c for c in Incident.KnownVia.choices if c[0] != Incident.KnownVia.PARTNER_SUPPORT],
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=IncidentCategory.objects.none())
    police_involved = forms.BooleanField(label=_("Police involved"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Incident.Outcome.choices)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = IncidentCategory.objects.filter(
            organisation=organisation, is_archived=False
        )
        self.fields["category"].error_messages["invalid_choice"] = gettext(
            "Choose one of this organisation's categories."
        )


class ReportedIncidentForm(IncidentForm):
    """An incident she told the partner support service about: how it became known is fixed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["known_via"]


class ChangeAssessmentForm(forms.Form):
    submission_key = SubmissionKeyField()
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput)
    capacity = forms.TypedChoiceField(
        label=_("Does he show the capacity to change?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    motivation = forms.TypedChoiceField(
        label=_("Does he show the motivation to change?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    used_group_work = forms.BooleanField(label=_("Group work"), required=False)
    used_individual_sessions = forms.BooleanField(label=_("Individual sessions"), required=False)
    used_partner_feedback = forms.BooleanField(
        label=_("Partner feedback (yes or no only: never what she said)"), required=False
    )

    def __init__(self, *args, instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for code, label in instrument.behaviour_labels():
            self.fields[f"rating_{code}"] = forms.ChoiceField(
                label=label, choices=Rating.choices, initial=Rating.UNKNOWN
            )

    def behaviour_fields(self):
        return [self[f"rating_{code}"] for code, _label in self.instrument.behaviour_labels()]

    def clean(self):
        data = super().clean()
        if not any(
            data.get(flag)
            for flag in ("used_group_work", "used_individual_sessions", "used_partner_feedback")
        ):
            raise forms.ValidationError(gettext("Say which evidence the assessment used."))
        return data

    def ratings(self) -> dict[str, str]:
        return {
            code: self.cleaned_data[f"rating_{code}"]
            for code, _label in self.instrument.behaviour_labels()
        }


class ComparisonCohortForm(forms.ModelForm):
    submission_key = SubmissionKeyField()

    class Meta:
        model = ComparisonCohort
        fields = [
            "name",
            "source",
            "description",
            "window_months",
            "men",
            "men_with_incident",
            "incidents",
            "total_harm",
            "harm_sd",
            "randomised",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
