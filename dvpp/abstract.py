"""Abstract models for the groups of fields that many models share, declared once: whose record
it is, the form's one-time key, and the fields of a record kept in versions. Each changes no
column: a model inheriting one has exactly the fields it declared before."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .i18n import bilingual
from .models import Organisation


class OrganisationOwned(models.Model):
    """A record of one organisation (scoped by ``OrganisationScopedQuerySet.for_user``). The
    organisation is never deleted while it holds records; it has no way back to them."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class SubmittedOnce(models.Model):
    """A record made by a form carrying a one-time key (``dvpp.forms.SubmissionKeyField``):
    a double-submitted form records it once."""

    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        abstract = True


class Versioned(models.Model):
    """A record kept in versions (a survey, a checklist, an assessment form): a new version is
    a new row, what was made with an older one keeps pointing at it, and one is in use."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("in use"), default=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def name(self) -> str:
        return bilingual(self.name_en, self.name_ru)
