from django import forms
from django.utils.translation import gettext_lazy as _

from dvpp.forms import SubmissionKeyField
from participants.forms import DateInput
from participants.models import ReferralSource
from sessions.models import Group

from .figures import Filters
from .models import Instrument, Question, Wave


class FilterForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Survey"))
    wave_from = forms.ChoiceField(label=_("Before"), choices=Wave.choices, initial=Wave.BASELINE)
    wave_to = forms.ChoiceField(label=_("After"), choices=Wave.choices, initial=Wave.EXIT)
    period_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    period_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    group = forms.ModelChoiceField(
        label=_("Group"), queryset=Group.objects.none(), required=False, empty_label=_("All groups")
    )
    source = forms.ModelChoiceField(
        label=_("Referral source"),
        queryset=ReferralSource.objects.none(),
        required=False,
        empty_label=_("All sources"),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        codes = Instrument.objects.filter(organisation=organisation, is_current=True).order_by(
            "code", "-version"
        )
        choices = {i.code: i.name for i in codes}
        # The women's survey first: it is what the programme is judged by.
        self.fields["instrument"].choices = sorted(
            choices.items(), key=lambda item: item[0] != "partner-safety"
        )
        self.fields["instrument"].initial = "partner-safety"
        self.fields["group"].queryset = Group.objects.filter(organisation=organisation)
        self.fields["source"].queryset = ReferralSource.objects.filter(organisation=organisation)

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return Filters(
            instrument_code=data.get("instrument") or "partner-safety",
            wave_from=data.get("wave_from") or Wave.BASELINE,
            wave_to=data.get("wave_to") or Wave.EXIT,
            period_from=data.get("period_from"),
            period_to=data.get("period_to"),
            group_id=data["group"].pk if data.get("group") else None,
            source_id=data["source"].pk if data.get("source") else None,
        )


class ResponseForm(forms.Form):
    """A survey as a form, one field per question, in the language active when it is built."""

    submission_key = SubmissionKeyField()
    wave = forms.ChoiceField(label=_("Wave"), choices=Wave.choices)
    answered_on = forms.DateField(label=_("Answered on"), widget=DateInput())

    def __init__(self, *args, instrument: Instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for question in instrument.questions.all():
            if question.kind == Question.Kind.TEXT:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
            elif question.kind == Question.Kind.NUMBER:
                field = forms.IntegerField(required=question.required)
            else:
                field = forms.ChoiceField(
                    choices=question.choices(),
                    widget=forms.RadioSelect,
                    required=question.required,
                )
            field.label = question.text
            self.fields[f"q_{question.code}"] = field

    def answers(self) -> dict:
        return {
            name[2:]: value for name, value in self.cleaned_data.items() if name.startswith("q_")
        }
