from django import forms
from django.utils.translation import gettext_lazy as _

from dvpp.forms import SubmissionKeyField
from dvpp.models import User

from .models import (
    AssessmentOutcome,
    CaseNoteCategory,
    ExitReason,
    OffenceCategory,
    Participant,
    Referral,
    ReferralSource,
    ReferrerOrganisation,
    RiskLevel,
    Status,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = [
            "last_name",
            "first_name",
            "patronymic",
            "previous_surnames",
            "date_of_birth",
            "phone",
            "email",
            "preferred_language",
            "reminder_consent",
            "reminder_channel",
            "key_worker",
            "children_count",
            "children_ages",
        ]
        widgets = {"date_of_birth": DateInput()}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["key_worker"].queryset = User.objects.filter(
            organisation=organisation, is_active=True
        ).order_by("last_name", "first_name")


class ReferralForm(forms.ModelForm):
    submission_key = SubmissionKeyField()

    class Meta:
        model = Referral
        fields = [
            "source",
            "referrer_organisation",
            "referrer_name",
            "referrer_contact",
            "made_on",
            "received_on",
            "reason",
            "offences",
            "is_statutory",
            "order_start_on",
            "order_end_on",
            "court_name",
            "court_case_number",
            "verdict_effective_on",
            "articles",
            "probation_months",
            "court_duties",
            "supervising_inspector",
            "consent_to_share",
        ]
        widgets = {
            "made_on": DateInput(),
            "received_on": DateInput(),
            "order_start_on": DateInput(),
            "order_end_on": DateInput(),
            "verdict_effective_on": DateInput(),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "court_duties": forms.Textarea(attrs={"rows": 2}),
            "offences": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["source"].queryset = ReferralSource.objects.filter(
            organisation=organisation, is_archived=False
        )
        self.fields["source"].error_messages["invalid_choice"] = _(
            "Choose one of this organisation's referral sources."
        )
        self.fields["offences"].queryset = OffenceCategory.objects.filter(
            organisation=organisation, is_archived=False
        )
        # The organisation's list of referring bodies, offered as the name is typed.
        self.fields["referrer_organisation"].widget.attrs["list"] = "referrer-organisations"
        self.referrer_organisations = [
            entry.label
            for entry in ReferrerOrganisation.objects.filter(
                organisation=organisation, is_archived=False
            )
        ]


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"))
    exit_reason = forms.ModelChoiceField(
        label=_("Exit reason"),
        required=False,
        queryset=ExitReason.objects.none(),
        help_text=_("When the case closes before completion."),
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, allowed: list[Status], organisation_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exit_reason"].queryset = ExitReason.objects.filter(
            organisation_id=organisation_id, is_archived=False
        )
        # No preselected status: a slip of the finger must not close a case.
        self.fields["to_status"].choices = [
            ("", _("Choose…")),
            *((status.value, status.label) for status in allowed),
        ]


class AppointmentForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    attended = forms.NullBooleanField(
        label=_("Attended"),
        widget=forms.Select(
            choices=[("unknown", _("Not yet known")), ("true", _("Yes")), ("false", _("No"))]
        ),
    )
    assessor = forms.ModelChoiceField(label=_("Assessor"), queryset=User.objects.none())

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = User.objects.filter(
            organisation=organisation, is_active=True
        )


class AssessmentDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=AssessmentOutcome.choices)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    risk_level = forms.ChoiceField(
        label=_("Risk level"), choices=[("", "—"), *RiskLevel.choices], required=False
    )
    partner_details_passed_on = forms.DateField(
        label=_("Partner details passed to partner support on"),
        required=False,
        widget=DateInput(),
        help_text=_("Enter the partner's details in the partner support service, not here."),
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())


class RiskForm(forms.Form):
    level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)


class CaseNoteForm(forms.Form):
    submission_key = SubmissionKeyField()
    category = forms.ModelChoiceField(label=_("Category"), queryset=CaseNoteCategory.objects.none())
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = CaseNoteCategory.objects.filter(
            organisation=organisation, is_archived=False
        )


class ParticipantFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Status.choices]
    )
    source = forms.ModelChoiceField(
        label=_("Source"),
        required=False,
        queryset=ReferralSource.objects.none(),
        empty_label=_("Any source"),
    )
    key_worker = forms.ModelChoiceField(
        label=_("Key worker"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("Any key worker"),
    )
    risk = forms.ChoiceField(
        label=_("Risk level"),
        required=False,
        choices=[("", _("Any risk level")), *RiskLevel.choices],
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = ReferralSource.objects.filter(organisation=organisation)
        self.fields["key_worker"].queryset = User.objects.filter(organisation=organisation)
