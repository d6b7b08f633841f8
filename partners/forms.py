from django import forms
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dvpp.forms import SubmissionKeyField
from dvpp.models import Role, User
from participants.forms import DateInput
from participants.models import Participant, RiskLevel

from .models import Answer, ContactAttempt, FeelsSafe, IncidentType, Partner, RiskChecklist


class LoweringFields:
    """The confirmation a lowering of her risk needs, added to a form only when it is needed
    (the service refused a lowering, or the worker is sending the confirmation)."""

    CONFIRM_FIELDS = ("confirm_lower", "lower_reason")

    def add_confirmation(self) -> None:
        self.fields["confirm_lower"] = forms.BooleanField(
            label=_("I confirm that her risk level is lower"), required=False
        )
        self.fields["lower_reason"] = forms.CharField(
            label=_("Why her risk is lower"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    @classmethod
    def asks_confirmation(cls, data) -> bool:
        return data is not None and any(name in data for name in cls.CONFIRM_FIELDS)


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
            "referred_on",
            "state",
            "worker",
        ]
        widgets = {
            "referred_on": DateInput(),
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
        self.fields["referred_on"].required = False
        self.fields["worker"].queryset = User.objects.filter(
            organisation=organisation, role=Role.PARTNER_SUPPORT, is_active=True
        )

    def clean_referred_on(self):
        # Left empty: she is passed to partner support the day she is recorded.
        return self.cleaned_data.get("referred_on") or timezone.localdate()

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


class RiskForm(LoweringFields, forms.Form):
    """The checklist: each question answered yes, no or not asked ("not asked" until chosen)."""

    assessed_on = forms.DateField(label=_("Date"), widget=DateInput())
    professional_judgement = forms.BooleanField(
        label=_("High risk on professional judgement"), required=False
    )
    judgement_note = forms.CharField(
        label=_("Reasons for the judgement"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, checklist: RiskChecklist, confirm: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.numbers = []
        for item in checklist.items.all():
            self.numbers.append(item.number)
            self.fields[f"answer_{item.number}"] = forms.ChoiceField(
                label=str(item),
                choices=Answer.choices,
                initial=Answer.NOT_ASKED,
                required=False,
                widget=forms.RadioSelect,
            )
        # The judgement after the questions, as they are asked.
        self.order_fields(
            [
                "assessed_on",
                *(f"answer_{n}" for n in self.numbers),
                "professional_judgement",
                "judgement_note",
            ]
        )
        if confirm or self.asks_confirmation(self.data if self.is_bound else None):
            self.add_confirmation()

    def answers(self) -> dict[int, str]:
        """The answers by question number; a question left without an answer is not asked."""
        return {n: self.cleaned_data.get(f"answer_{n}") or Answer.NOT_ASKED for n in self.numbers}

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "assessed_on": data["assessed_on"],
            "answers": self.answers(),
            "professional_judgement": data["professional_judgement"],
            "judgement_note": data["judgement_note"],
            "confirm_lower": data.get("confirm_lower", False),
            "lower_reason": data.get("lower_reason", ""),
        }


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


UNKNOWN_RISK = ("", _("Unknown (not yet decided)"))


class CheckInForm(LoweringFields, forms.Form):
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
    # Starts at her current level (the view's initial), "unknown" while nobody has decided.
    risk_level_after = forms.ChoiceField(
        label=_("Risk level after"), choices=[UNKNOWN_RISK, *RiskLevel.choices], required=False
    )
    next_due = forms.DateField(label=_("Next check-in due"), widget=DateInput())

    def __init__(self, *args, confirm: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if confirm or self.asks_confirmation(self.data if self.is_bound else None):
            self.add_confirmation()


class MaracForm(forms.Form):
    referred_on = forms.DateField(label=_("Referred on"), required=False, widget=DateInput())
    meeting_on = forms.DateField(label=_("Meeting date"), required=False, widget=DateInput())
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
