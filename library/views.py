import os

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dvpp.access import Area, area_required
from dvpp.audit import audit_event
from dvpp.forms import add_service_errors
from dvpp.models import AuditEvent
from sessions.handouts import CONTENT_TYPES, extension

from . import manifest as manifests
from . import selectors, services
from .access import get_handout_for_user, get_package_for_user
from .forms import PublishForm, UploadForm
from .models import Package

Action = AuditEvent.Action


@area_required(Area.LIBRARY)
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "library/index.html",
        {
            "coalitions": list(selectors.coalitions_for(request.user)),
            "rows": selectors.library(request.user),
            "imported": selectors.imported_programmes(request.user),
        },
    )


@area_required(Area.LIBRARY)
def publish(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    posted = request.method == "POST"
    form = PublishForm(request.POST if posted else None, organisation=organisation)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            package = services.package_publish(
                organisation=organisation,
                by=request.user,
                coalition=data["coalition"],
                programme=data["programme"],
                instruments=list(data["instruments"]),
                change_note_en=data["change_note_en"],
                change_note_ru=data["change_note_ru"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(version)s of “%(name)s” is published to %(coalition)s.")
                % {
                    "version": package.version,
                    "name": package.name,
                    "coalition": package.coalition.name,
                },
            )
            return redirect("library:package", key=package.key, version=package.version)
    return render(request, "library/publish.html", {"form": form})


@area_required(Area.LIBRARY)
def package_detail(request: HttpRequest, key, version: int) -> HttpResponse:
    package = get_package_for_user(
        request.user, key, version, queryset=selectors.with_publisher(Package.objects.all())
    )
    versions = selectors.versions(request.user, package)
    previous = next((v for v in versions if v.version < package.version), None)
    copy = selectors.newest_copy(request.user, package)
    return render(
        request,
        "library/package.html",
        {
            "package": package,
            "publisher": selectors.publisher(package, request.user),
            "contents": selectors.contents(package.manifest),
            "versions": versions,
            "previous": previous,
            "since_previous": (
                manifests.diff(selectors.manifest_of(previous), package.manifest)
                if previous
                else None
            ),
            "copy": copy,
            "since_copy": (
                manifests.diff(copy.manifest, package.manifest)
                if copy is not None and copy.version < package.version
                else None
            ),
            "imported_this": selectors.imported_this(request.user, package),
        },
    )


@require_POST
@area_required(Area.LIBRARY)
def import_package(request: HttpRequest, key, version: int) -> HttpResponse:
    package = get_package_for_user(request.user, key, version)
    try:
        programme = services.package_import(
            organisation=request.user.organisation, by=request.user, package=package
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("library:package", key=package.key, version=package.version)
    messages.success(request, _imported_message(programme))
    return redirect("library:index")


def _imported_message(programme) -> str:
    return _(
        "Imported as your organisation's own programme “%(name)s”. Create a group on it from "
        "the Groups page; change it in the admin site if you need to."
    ) % {"name": programme.name}


@area_required(Area.LIBRARY)
def download(request: HttpRequest, key, version: int) -> HttpResponse:
    package = get_package_for_user(request.user, key, version)
    data = services.package_file_build(package)
    audit_event(
        request, Action.EXPORT, "library.package", str(package.pk), what=f"package file v{version}"
    )
    name = slugify(package.name_en)[:60] or "programme"
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="package-{name}-v{package.version}.zip"'
    )
    return response


@area_required(Area.LIBRARY)
def upload(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        upload.seek(0)
        try:
            programme = services.package_file_import(
                organisation=request.user.organisation, by=request.user, data=upload.read()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _imported_message(programme))
            return redirect("library:index")
    return render(request, "library/upload.html", {"form": form})


@area_required(Area.GROUPS)
def handout(request: HttpRequest, handout_id: int) -> FileResponse:
    """A handout, to staff of its organisation who work with groups; never a public address."""
    item = get_handout_for_user(request.user, handout_id)
    try:
        stored = item.file.open("rb")
    except (OSError, ValueError):
        raise Http404 from None
    return FileResponse(
        stored,
        as_attachment=True,
        filename=os.path.basename(item.file.name),
        content_type=CONTENT_TYPES.get(extension(item.file.name), "application/octet-stream"),
    )
