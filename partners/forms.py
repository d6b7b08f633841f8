from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from dvpp.forms import SubmissionKeyField
from dvpp.models import Role, User
from participants.forms import DateInput
from participants.models import Participant, RiskLevel

from .models import ContactAttempt, FeelsSafe, IncidentType, Partner, RiskChecklist


class PartnerForm(forms.ModelForm):
    submission_key = SubmissionKeyField()

    class Meta:
        model = Partner
        fields = [
            "participant",
            "last_name",
            "first_name",
            "patronymic",
            "relationship",
            "living_together",
            "phone",
            "email",
            "address",
            "safe_contact_method",
            "safe_contact_notes",
            "language",
            "children_count",
            "children_ages",
            "children_shared",
            "consent_to_contact",
            "consent_scope",
            "state",
            "worker",
        ]
        widgets = {
            "phone": forms.TextInput(attrs={"autocomplete": "off"}),
            "email": forms.EmailInput(),
            "address": forms.Textarea(attrs={"rows": 2}),
            "safe_contact_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        if self.instance.pk:
            del self.fields["submission_key"]
        men = Participant.objects.filter(organisation=organisation)
        if self.instance.pk:
            # Whose partner she is does not change; a new record is made instead. The disabled
            # field offers him alone, not every man of the organisation.
            men = men.filter(pk=self.instance.participant_id)
            self.fields["participant"].disabled = True
        self.fields["participant"].queryset = men.order_by("last_name", "first_name")
        self.fields["worker"].queryset = User.objects.filter(
            organisation=organisation, role=Role.PARTNER_SUPPORT, is_active=True
        )

    def clean_email(self) -> str:
        email = self.cleaned_data.get("email", "").strip()
        if email:
            validate_email(email)
        return email


class ContactAttemptForm(forms.Form):
    at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    method = forms.ChoiceField(label=_("Method"), choices=Partner.ContactMethod.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ContactAttempt.Outcome.choices)


class RiskForm(forms.Form):
    assessed_on = forms.DateField(label=_("Date"), widget=DateInput())
    yes_items = forms.TypedMultipleChoiceField(
        label=_("Answered “yes”"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    professional_judgement = forms.BooleanField(
        label=_("High risk on professional judgement"), required=False
    )
    judgement_note = forms.CharField(
        label=_("Reasons for the judgement"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, checklist: RiskChecklist, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["yes_items"].choices = [
            (item.number, str(item)) for item in checklist.items.all()
        ]


class SafetyPlanForm(forms.Form):
    contacts = forms.CharField(
        label=_("People and numbers to call"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    safe_places = forms.CharField(
        label=_("Safe places"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    warning_signs = forms.CharField(
        label=_("Warning signs"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    children = forms.CharField(
        label=_("Children"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    review_on = forms.DateField(label=_("Review on"), widget=DateInput())


class CheckInForm(forms.Form):
    submission_key = SubmissionKeyField()
    on = forms.DateField(label=_("Date"), widget=DateInput())
    method = forms.ChoiceField(label=_("Method"), choices=Partner.ContactMethod.choices)
    feels_safe = forms.ChoiceField(
        label=_("How safe does she feel?"), choices=FeelsSafe.choices, widget=forms.RadioSelect
    )
    incidents = forms.MultipleChoiceField(
        label=_("New incidents since the last contact"),
        choices=IncidentType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    injuries = forms.BooleanField(label=_("Injuries"), required=False)
    police_called = forms.BooleanField(label=_("Police called"), required=False)
    actions = forms.CharField(
        label=_("What she said and actions taken"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    risk_level_after = forms.ChoiceField(label=_("Risk level after"), choices=RiskLevel.choices)
    next_due = forms.DateField(label=_("Next check-in due"), widget=DateInput())


class MaracForm(forms.Form):
    referred_on = forms.DateField(label=_("Referred on"), required=False, widget=DateInput())
    meeting_on = forms.DateField(label=_("Meeting date"), required=False, widget=DateInput())
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
