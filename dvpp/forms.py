import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditEvent, User


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the form has the field."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class SubmissionKeyField(forms.UUIDField):
    """A hidden one-time key: the same form submitted twice saves once."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, initial=uuid.uuid4, **kwargs)


class AuditFilterForm(forms.Form):
    """The audit log's search. A value that makes no sense (a malformed date, an unknown action
    or user) is reported on its field and left out of the search, never an error page."""

    person = forms.CharField(
        label=gettext_lazy("Case reference or record id"),
        required=False,
        max_length=64,
        help_text=gettext_lazy("A man's case reference, or the id of any record."),
    )
    user = forms.ModelChoiceField(
        label=gettext_lazy("User"),
        required=False,
        queryset=None,
        empty_label=gettext_lazy("Anyone"),
    )
    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False)
    date_from = forms.DateField(label=gettext_lazy("From"), required=False)
    date_to = forms.DateField(label=gettext_lazy("To"), required=False)

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            organisation_id=organisation_id
        ).order_by("last_name", "first_name", "username")
        self.fields["action"].choices = [
            ("", gettext_lazy("Any action")),
            *AuditEvent.Action.choices,
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", gettext_lazy("This date is before the “From” date."))
        return cleaned

    def criteria(self) -> dict:
        """The fields that were filled in correctly (the rest are left out)."""
        self.is_valid()
        return {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if value not in (None, "") and name not in self.errors
        }


class ErasureConfirmForm(forms.Form):
    """Erasing a record asks for its reference (or code) to be typed: a slip cannot erase."""

    confirmation = forms.CharField(
        max_length=50, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )

    def __init__(self, *args, expected: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected = expected
        self.fields["confirmation"].label = _("Type %(code)s to confirm") % {"code": expected}

    def clean_confirmation(self) -> str:
        typed = self.cleaned_data["confirmation"].strip()
        if typed.casefold() != self.expected.casefold():
            raise ValidationError(
                _("What you typed is not %(code)s. Nothing has been erased.")
                % {"code": self.expected}
            )
        return typed
