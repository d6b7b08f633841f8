from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coalition.models import Coalition
from dvpp.models import Organisation
from outcomes.models import Instrument
from sessions.models import Programme

from .access import current_memberships


class PublishForm(forms.Form):
    coalition = forms.ModelChoiceField(label=_("Coalition"), queryset=Coalition.objects.none())
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    instruments = forms.ModelMultipleChoiceField(
        label=_("Surveys to include"),
        queryset=Instrument.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("An organisation that imports the package gets them as its own surveys."),
    )
    change_note_en = forms.CharField(
        label=_("What changed (English)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a first version: what the programme is for."),
    )
    change_note_ru = forms.CharField(
        label=_("What changed (Russian)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        coalitions = Coalition.objects.filter(
            pk__in=current_memberships(organisation.pk).values("coalition_id")
        ).order_by("name")
        self.fields["coalition"].queryset = coalitions
        if len(coalitions) == 1:
            self.fields["coalition"].initial = coalitions[0].pk
        self.fields["programme"].queryset = Programme.objects.filter(
            organisation=organisation, is_archived=False
        )
        self.fields["instruments"].queryset = Instrument.objects.filter(
            organisation=organisation, is_current=True
        ).order_by("code", "-version")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Package file"),
        help_text=_("A .zip file made with “Download the package file”, here or elsewhere."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                gettext("The file is larger than %(size)s MB.")
                % {"size": f"{limit / (1024 * 1024):g}"},
                code="too_large",
            )
        return upload
