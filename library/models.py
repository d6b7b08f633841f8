"""Programme packages: one programme's curriculum, handouts, surveys and rules, published to a
coalition as a versioned snapshot, and the copies members make of them.

A package holds no case data: no man, no partner, no member of staff, no id of a row of the
publishing organisation. Its ``manifest`` is the whole content (see :mod:`library.manifest`);
its ``checksum`` is the SHA-256 of the manifest's canonical JSON, so the same content always
has the same checksum, wherever it travels.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.models import Coalition
from dvpp.abstract import OrganisationOwned
from dvpp.i18n import bilingual
from dvpp.models import Organisation
from sessions.models import Programme


class Package(models.Model):
    """One published version of a programme. Publishing the same programme again makes the next
    version of the same ``key``; versions already published never change."""

    coalition = models.ForeignKey(
        Coalition, verbose_name=_("coalition"), on_delete=models.PROTECT, related_name="packages"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("published by"), on_delete=models.PROTECT, related_name="+"
    )
    # The publisher's own programme it was taken from: the next publication of it is the next
    # version. Never shown to other members.
    programme = models.ForeignKey(
        Programme, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    key = models.UUIDField(_("package key"), editable=False)
    version = models.PositiveIntegerField(_("version"))
    schema = models.PositiveSmallIntegerField(_("package format"))
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    manifest = models.JSONField()
    checksum = models.CharField(_("checksum"), max_length=64)
    change_note_en = models.TextField(_("what changed (English)"), blank=True)
    change_note_ru = models.TextField(_("what changed (Russian)"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        verbose_name = _("programme package")
        verbose_name_plural = _("programme packages")
        ordering = ["name_en", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="package_unique_version")
        ]
        indexes = [models.Index(fields=["coalition", "key", "version"])]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def name(self) -> str:
        return bilingual(self.name_en, self.name_ru)

    @property
    def change_note(self) -> str:
        return bilingual(self.change_note_en, self.change_note_ru)


class PackageFile(models.Model):
    """A handout file as it was published, kept with the package: a handout changed or removed
    later by its publisher leaves the published versions as they were."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="files")
    path = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    content = models.BinaryField()

    class Meta:
        ordering = ["package", "path"]
        constraints = [
            models.UniqueConstraint(fields=["package", "path"], name="package_file_unique_path")
        ]

    def __str__(self) -> str:
        return self.path


class ImportedFrom(OrganisationOwned):
    """Where an imported programme came from: the package key and version, and the manifest as
    imported, so that "what changed" in a newer version can be shown. The copy belongs to the
    importing organisation, which may adapt it; groups running on it never change with the
    package."""

    class Source(models.TextChoices):
        LIBRARY = "library", _("The coalition's library")
        FILE = "file", _("A package file")

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="imported_from"
    )
    key = models.UUIDField(_("package key"))
    version = models.PositiveIntegerField(_("version"))
    checksum = models.CharField(_("checksum"), max_length=64)
    manifest = models.JSONField()
    source = models.CharField(_("imported from"), max_length=10, choices=Source.choices)
    package = models.ForeignKey(
        Package, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)

    class Meta:
        verbose_name = _("imported programme")
        verbose_name_plural = _("imported programmes")
        ordering = ["-imported_at", "-pk"]
        constraints = [
            # The same version imported twice (a double click, the file and the library) makes
            # one copy.
            models.UniqueConstraint(
                fields=["organisation", "key", "version"], name="imported_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"
