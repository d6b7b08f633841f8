from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dvpp.forms import SubmissionKeyField

from .models import ConsentTemplate, How, SubjectRequest


class DateInput(forms.DateInput):
    input_type = "date"


class ConsentForm(forms.Form):
    submission_key = SubmissionKeyField()
    template = forms.ModelChoiceField(
        label=_("Consent to"), queryset=ConsentTemplate.objects.none()
    )
    given_on = forms.DateField(label=_("Given on"), widget=DateInput(), initial=timezone.localdate)
    how = forms.ChoiceField(label=_("How"), choices=How.choices)

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates


class WithdrawalForm(forms.Form):
    withdrawn_on = forms.DateField(
        label=_("Withdrawn on"), widget=DateInput(), initial=timezone.localdate
    )
    withdrawal_how = forms.ChoiceField(label=_("How"), choices=How.choices)


class SubjectRequestForm(forms.Form):
    submission_key = SubmissionKeyField()
    kind = forms.ChoiceField(label=_("The person asked for"), choices=SubjectRequest.Kind.choices)
    received_on = forms.DateField(
        label=_("Received on"), widget=DateInput(), initial=timezone.localdate
    )
