import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dvpp.forms import SubmissionKeyField
from participants.forms import DateInput
from participants.models import ReferralSource
from sessions.models import Group

from .figures import Filters, wave_order_error
from .models import Instrument, Question, Wave


def quarters(count: int = 12) -> list[tuple[str, str]]:
    """The last ``count`` calendar quarters, newest first, as (``2026-Q3``, label)."""
    today = timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    result = []
    for _step in range(count):
        label = gettext("%(year)s Q%(quarter)s") % {"year": year, "quarter": quarter}
        result.append((f"{year}-Q{quarter}", label))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return result


def quarter_bounds(value: str | None) -> tuple[datetime.date | None, datetime.date | None]:
    if not value:
        return None, None
    year, quarter = int(value[:4]), int(value[-1])
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - datetime.timedelta(
        days=1
    )
    return start, end


class FilterForm(forms.Form):
    DEFAULTS = {"wave_from": Wave.BASELINE, "wave_to": Wave.EXIT}

    instrument = forms.ChoiceField(label=_("Survey"), required=False)
    wave_from = forms.ChoiceField(label=_("Before"), choices=Wave.choices, initial=Wave.BASELINE)
    wave_to = forms.ChoiceField(label=_("After"), choices=Wave.choices, initial=Wave.EXIT)
    # Whole quarters only: free dates would let two nested periods be subtracted.
    period = forms.ChoiceField(label=_("Answered in"), required=False)
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
        self.fields["period"].choices = [("", _("Any time")), *quarters()]
        self.fields["source"].queryset = ReferralSource.objects.filter(organisation=organisation)

    def clean(self):
        cleaned = super().clean()
        before, after = cleaned.get("wave_from"), cleaned.get("wave_to")
        if before and after:
            error = wave_order_error(before, after)
            if error:
                self.add_error("wave_to", error)
        return cleaned

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return Filters(
            instrument_code=data.get("instrument") or "partner-safety",
            wave_from=data.get("wave_from") or Wave.BASELINE,
            wave_to=data.get("wave_to") or Wave.EXIT,
            period_from=quarter_bounds(data.get("period"))[0],
            period_to=quarter_bounds(data.get("period"))[1],
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
