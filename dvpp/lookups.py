"""The organisation's own lists (referral sources, referring organisations, exit reasons,
offence categories, case-note categories: each app names its own through
``dvpp.hooks.lookup_lists``), kept by its managers in both languages.

An entry in use is archived, never deleted: old records keep their meaning, and figures group by
the entry, not by its label. Relabelling an entry relabels every record that points at it.
"""

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .access import Area, area_required, get_for_user
from .audit import audit_change
from .lookup_lists import lookup_lists, lookup_model
from .models import AuditEvent, OrganisationLookup, User


def in_use(entry: OrganisationLookup) -> bool:
    """Whether any record points at the entry (then it can only be archived)."""
    # Hidden relations too: records point at lookups with related_name="+".
    for relation in entry._meta.get_fields(include_hidden=True):
        if relation.auto_created and not relation.concrete and relation.is_relation:
            related = relation.related_model._default_manager.filter(**{relation.field.name: entry})
            if related.exists():
                return True
    return False


# --- the writes: each audited by the list and the entry's id (an entry's label is not a person's
# data, but the log keeps to ids and codes everywhere) ---------------------------------------------


def lookup_entry_add(
    *, model: type[OrganisationLookup], kind: str, by: User, data: dict
) -> OrganisationLookup:
    """Add an entry to one of the organisation's lists; its code is made from the English label
    when none is given. IntegrityError when the list already has the code."""
    with transaction.atomic():
        entry = model.objects.create(
            organisation_id=by.organisation_id,
            code=data["code"] or slugify(data["label_en"])[:50],
            label_en=data["label_en"],
            label_ru=data["label_ru"],
            position=data["position"],
            is_archived=data["is_archived"],
        )
        audit_change(AuditEvent.Action.CREATE, entry, by=by, what=f"list: {kind}")
    return entry


@transaction.atomic
def lookup_entry_change(
    *, entry: OrganisationLookup, kind: str, by: User, data: dict, changed: list[str]
) -> None:
    """Relabel, reorder or archive an entry (every record that points at it follows)."""
    for name, value in data.items():
        setattr(entry, name, value)
    entry.save()
    what = f"list: {kind}: " + (", ".join(changed) or "nothing")
    audit_change(AuditEvent.Action.CHANGE, entry, by=by, what=what)


@transaction.atomic
def lookup_entry_delete(*, entry: OrganisationLookup, kind: str, by: User) -> None:
    """Delete an entry no record uses (one in use is archived instead: see :func:`in_use`)."""
    audit_change(AuditEvent.Action.DELETE, entry, by=by, what=f"list: {kind}")
    entry.delete()


CYRILLIC = re.compile(r"[А-Яа-яЁё]")
LATIN = re.compile(r"[A-Za-z]")


class EntryForm(forms.Form):
    label_en = forms.CharField(label=gettext_lazy("Label (English)"), max_length=200)
    label_ru = forms.CharField(label=gettext_lazy("Label (Russian)"), max_length=200)
    position = forms.IntegerField(label=gettext_lazy("Position"), min_value=0, initial=0)
    is_archived = forms.BooleanField(
        label=gettext_lazy("Archived: no longer offered on forms"), required=False
    )

    def clean_label_ru(self) -> str:
        label = self.cleaned_data["label_ru"].strip()
        if LATIN.search(label) and CYRILLIC.search(label):
            raise ValidationError(
                _("Latin and Cyrillic letters are mixed: write the Russian label in Cyrillic.")
            )
        return label


class NewEntryForm(EntryForm):
    code = forms.SlugField(
        label=gettext_lazy("Code"),
        required=False,
        help_text=gettext_lazy("Used by imports; made from the English label if left empty."),
    )

    field_order = ["label_en", "label_ru", "code", "position", "is_archived"]


@area_required(Area.LOOKUPS)
def lookup_index(request: HttpRequest) -> HttpResponse:
    lists = [
        (
            kind,
            model._meta.verbose_name_plural,
            model.objects.filter(organisation_id=request.user.organisation_id).count(),
        )
        for kind, model in lookup_lists().items()
    ]
    return render(request, "dvpp/lookups/index.html", {"lists": lists})


@area_required(Area.LOOKUPS)
def lookup_list(request: HttpRequest, kind: str) -> HttpResponse:
    model = lookup_model(kind)
    entries = model.objects.filter(organisation_id=request.user.organisation_id)
    form = NewEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lookup_entry_add(model=model, kind=kind, by=request.user, data=form.cleaned_data)
        except IntegrityError:
            form.add_error("code", _("This list already has an entry with this code."))
        else:
            messages.success(request, _("Added to the list."))
            return redirect("lookup_list", kind=kind)
    return render(
        request,
        "dvpp/lookups/list.html",
        {"kind": kind, "title": model._meta.verbose_name_plural, "entries": entries, "form": form},
    )


@area_required(Area.LOOKUPS)
def lookup_entry(request: HttpRequest, kind: str, entry_id: int) -> HttpResponse:
    model = lookup_model(kind)
    entry = get_for_user(model.objects.all(), request.user, pk=entry_id)
    initial = {
        "label_en": entry.label_en,
        "label_ru": entry.label_ru,
        "position": entry.position,
        "is_archived": entry.is_archived,
    }
    form = EntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        lookup_entry_change(
            entry=entry,
            kind=kind,
            by=request.user,
            data=form.cleaned_data,
            changed=form.changed_data,
        )
        messages.success(request, _("Saved. Records that use this entry show the new label."))
        return redirect("lookup_list", kind=kind)
    return render(
        request,
        "dvpp/lookups/entry.html",
        {"kind": kind, "entry": entry, "form": form, "in_use": in_use(entry)},
    )


@area_required(Area.LOOKUPS)
def lookup_delete(request: HttpRequest, kind: str, entry_id: int) -> HttpResponse:
    if request.method != "POST":
        raise Http404
    model = lookup_model(kind)
    entry = get_for_user(model.objects.all(), request.user, pk=entry_id)
    if in_use(entry):
        messages.error(
            request,
            _("Records use this entry, so it cannot be deleted: archive it instead."),
        )
        return redirect("lookup_entry", kind=kind, entry_id=entry.pk)
    lookup_entry_delete(entry=entry, kind=kind, by=request.user)
    messages.success(request, _("Deleted from the list."))
    return redirect("lookup_list", kind=kind)
