"""A package travels as one file: downloaded here, uploaded in another organisation (or on
another installation). A file that is not a package, was altered, or was made for an
incompatible version is refused with a clear message, and nothing at all is imported."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dvpp.models import AuditEvent
from library import manifest as manifests
from library.models import ImportedFrom
from outcomes.models import Instrument
from sessions.models import Handout, Programme, Theme

from .conftest import instrument, publish


def _download(client, package) -> bytes:
    response = client.get(reverse("library:download", args=[package.key, package.version]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="package-respectful-relationships-two-workshops-v'
        f'{package.version}.zip"'
    )
    return response.content


def _upload(client, data: bytes, name="package.zip"):
    return client.post(reverse("library:upload"), {"file": SimpleUploadedFile(name, data)})


def _rezip(data: bytes, change) -> bytes:
    """The package file with its description and files changed by ``change(description,
    files)``."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    description = json.loads(files.pop("package.json"))
    change(description, files)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("package.json", json.dumps(description, ensure_ascii=False))
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.fixture
def package_file(client_for, org_a, coalition, workshops):
    package = publish(
        org_a,
        workshops,
        coalition,
        instruments=[instrument(org_a, "men-self-report")],
        note="First version",
        note_ru="Первая версия",
    )
    return package, _download(client_for(org_a.manager), package)


def _nothing_imported(org):
    assert not Programme.objects.filter(organisation=org.organisation).exists()
    assert not ImportedFrom.objects.filter(organisation=org.organisation).exists()
    assert not Handout.objects.filter(theme__programme__organisation=org.organisation).exists()
    assert not Instrument.objects.filter(organisation=org.organisation, version__gt=1).exists()


def test_the_file_holds_the_description_and_each_handout_with_its_checksum(package_file):
    package, data = package_file
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        description = json.loads(archive.read("package.json"))
        assert description["format"] == "dvpp-programme-package"
        assert description["schema"] == 1
        assert description["checksum"] == manifests.checksum(description["manifest"])
        for theme in description["manifest"]["themes"]:
            for handout in theme["handouts"]:
                assert manifests.sha256(archive.read(handout["path"])) == handout["sha256"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.object_type, event.object_id) == ("library.package", str(package.pk))


def test_round_trip_into_an_organisation_outside_the_coalition(client_for, org_c, package_file):
    package, data = package_file
    response = _upload(client_for(org_c.manager), data)
    assert response.status_code == 302 and response["Location"] == reverse("library:index")
    copy = Programme.objects.get(organisation=org_c.organisation)
    # Both languages travelled.
    assert copy.name_ru == "Уважительные отношения: два занятия"
    week = copy.themes.get(number=2)
    assert week.title_ru == "Занятие 2: выбор без насилия"
    assert week.plan_ru == "Приветствие. Упражнение 2. Завершение."
    assert week.handouts.get().title_ru == "Рабочий лист 2"
    survey = instrument(org_c, "men-self-report")
    assert survey.version == 2 and survey.questions.get(number=1).text_ru
    origin = copy.imported_from
    assert (origin.key, origin.version, origin.source, origin.package) == (
        package.key,
        1,
        "file",
        None,
    )
    assert origin.manifest["change_note"] == {"en": "First version", "ru": "Первая версия"}
    event = AuditEvent.objects.get(
        action=AuditEvent.Action.CREATE,
        object_type=copy._meta.label_lower,
        object_id=str(copy.pk),
    )
    assert event.what == "imported package file"
    # The library page lists it, without a coalition.
    page = client_for(org_c.manager).get(reverse("library:index")).content.decode()
    assert "Respectful relationships: two workshops" in page and "A package file" in page


def test_the_same_file_twice_makes_one_copy(client_for, org_c, package_file):
    _package, data = package_file
    client = client_for(org_c.manager)
    _upload(client, data)
    response = _upload(client, data)
    assert response.status_code == 200
    assert "already imported version 1 of this package" in response.content.decode()
    assert Programme.objects.filter(organisation=org_c.organisation).count() == 1


def _altered_plan(description, files):
    description["manifest"]["themes"][0]["plan_en"] = "Changed on the way."


def _altered_handout(description, files):
    path = description["manifest"]["themes"][1]["handouts"][0]["path"]
    files[path] = files[path] + b"% altered\n"


def _missing_handout(description, files):
    files.pop(description["manifest"]["themes"][1]["handouts"][0]["path"])


def _newer_schema(description, files):
    description["schema"] = 2


def _other_format(description, files):
    description["format"] = "something-else"


def _recomputed(edit):
    """An edit made by someone who also recomputed the package's checksum."""

    def change(description, files):
        edit(description["manifest"])
        description["checksum"] = manifests.checksum(description["manifest"])

    return change


BAD_FILES = [
    (
        _altered_plan,
        "The package file was altered after it was made: its checksum does not match.",
    ),
    (
        _altered_handout,
        "The file of the handout “Worksheet 2” of week 2 was altered after the package was made",
    ),
    (_missing_handout, "the file of the handout “Worksheet 2” of week 2 is missing"),
    (
        _newer_schema,
        "This package was made for an incompatible version of the system (package format 2;",
    ),
    (_other_format, "This is not a programme package file"),
    (
        _recomputed(lambda m: m["programme"].pop("session_count")),
        "The package is damaged and cannot be imported: the programme has no valid "
        "“session_count”.",
    ),
    (
        _recomputed(lambda m: m["themes"].pop()),
        "it does not have one week for each session",
    ),
    (
        _recomputed(lambda m: m["programme"].update(completion_min_sessions=5)),
        "Completion cannot need more sessions than the programme has.",
    ),
    (
        _recomputed(lambda m: m["themes"][0].update(title_en="x" * 300)),
        "The package cannot be imported: week 1 is not valid",
    ),
    (
        _recomputed(lambda m: m["instruments"][0]["questions"][0].update(kind="essay")),
        "has no valid “kind”",
    ),
    (
        _recomputed(
            lambda m: m["instruments"][0]["questions"][0].update(kind="choice", options=[["x"]])
        ),
        "has no valid “options”",
    ),
    (
        _recomputed(lambda m: m["instruments"][0]["measures"][0].update(question_code="nowhere")),
        "a measure of the survey “men-self-report” has no valid “question_code”",
    ),
]


@pytest.mark.parametrize(("change", "message"), BAD_FILES, ids=[c.__name__ for c, _m in BAD_FILES])
def test_a_bad_package_file_is_refused_and_nothing_is_imported(
    client_for, org_c, package_file, change, message
):
    _package, data = package_file
    response = _upload(client_for(org_c.manager), _rezip(data, change))
    assert response.status_code == 200
    content = response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert message in content
    _nothing_imported(org_c)


def test_a_handout_that_is_a_program_in_disguise_is_refused(client_for, org_c, package_file):
    def disguised(description, files):
        handout = description["manifest"]["themes"][0]["handouts"][0]
        files[handout["path"]] = b"MZ\x90\x00 a program"
        handout["sha256"] = manifests.sha256(files[handout["path"]])
        handout["size"] = len(files[handout["path"]])
        description["checksum"] = manifests.checksum(description["manifest"])

    response = _upload(client_for(org_c.manager), _rezip(package_file[1], disguised))
    assert "This file is not a PDF file, whatever its name says." in response.content.decode()
    _nothing_imported(org_c)


def test_a_failure_late_in_the_import_leaves_no_handout_file_behind(
    client_for, org_c, package_file, settings
):
    bad = _rezip(
        package_file[1],
        _recomputed(lambda m: m["instruments"][0].update(code="not a code!")),
    )
    response = _upload(client_for(org_c.manager), bad)
    assert "the survey “not a code!” is not valid" in response.content.decode()
    _nothing_imported(org_c)
    handouts = settings.MEDIA_ROOT / "handouts"
    # Only the publisher's own two handouts are stored.
    assert len(list(handouts.iterdir())) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"survey,wave\n1,2\n", "This is not a programme package file"),
        (b"PK\x03\x04 broken zip", "This is not a programme package file"),
    ],
)
def test_a_file_that_is_not_a_package_is_refused(client_for, org_c, data, message):
    response = _upload(client_for(org_c.manager), data, name="package.zip")
    assert message in response.content.decode()
    _nothing_imported(org_c)


def test_a_zip_without_a_package_description_is_refused(client_for, org_c):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    response = _upload(client_for(org_c.manager), buffer.getvalue())
    assert "This is not a programme package file" in response.content.decode()


@pytest.mark.parametrize("text", ["{not json", "[" * 100_000 + "]" * 100_000])
def test_an_unreadable_description_is_refused(client_for, org_c, text):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # stored: nesting, not size, is the test
        archive.writestr("package.json", text)
    response = _upload(client_for(org_c.manager), buffer.getvalue())
    assert "its description cannot be read" in response.content.decode()


def test_a_file_that_unpacks_to_far_more_than_it_weighs_is_refused(client_for, org_c):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("package.json", "{}")
        archive.writestr("handouts/bomb.txt", b"0" * 3_000_000)
    response = _upload(client_for(org_c.manager), buffer.getvalue())
    assert "unpacks to far more than its size" in response.content.decode()


def test_a_file_too_large_is_refused_before_it_is_read(client_for, org_c, package_file, settings):
    settings.IMPORT_MAX_BYTES = 1024
    response = _upload(client_for(org_c.manager), package_file[1])
    assert "The file is larger than 0.000976562 MB." in response.content.decode()
    _nothing_imported(org_c)


def test_an_empty_form_asks_for_the_file(client_for, org_c):
    response = client_for(org_c.manager).post(reverse("library:upload"), {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Theme.objects.count() == 0
