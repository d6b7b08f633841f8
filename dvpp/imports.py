"""The page side of every spreadsheet import: the upload form, running the importer, and its
refusals shown on the form. Each import keeps its own rules (``<app>/importing.py``) and audits
what it imported; the report is drawn by ``dvpp/_import_report.html``."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from .forms import add_service_errors


def run_import(request: HttpRequest, importer: Callable[..., Any], **options) -> tuple:
    """(form, report): the report is None until a valid file was sent; a file the importer
    refuses whole (too large, unknown columns) is an error on the form."""
    from participants.forms import ImportForm

    form = ImportForm(request.POST or None, request.FILES or None)
    if not (request.method == "POST" and form.is_valid()):
        return form, None
    upload = form.cleaned_data["file"]
    try:
        report = importer(
            organisation=request.user.organisation,
            by=request.user,
            name=upload.name,
            content=upload,
            size=upload.size,
            dry_run=form.cleaned_data["dry_run"],
            **options,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return form, None
    return form, report
