"""Coalitions of organisations and their memberships.

Member organisations share programme materials (the library) and see each other's figures only
as anonymous aggregates (:mod:`coalition.figures`). A coalition's analysts are users of the
coalition, not of an organisation (``dvpp.models.User.coalition``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dvpp.models import Organisation


class Coalition(models.Model):
    """Member organisations that share programme materials and see each other's figures only
    as anonymous aggregates. Its analysts belong to it, not to any organisation."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        # The table it had when it lived in the core (moved without a change of table).
        db_table = "dvpp_coalition"
        verbose_name = _("coalition")
        verbose_name_plural = _("coalitions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """An organisation's membership of a coalition, from joining to leaving. Leaving keeps the
    row (``left_on``): its figures stop appearing from then on. Joining again is a new row."""

    coalition = models.ForeignKey(
        Coalition, verbose_name=_("coalition"), on_delete=models.PROTECT, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    shown_by_name = models.BooleanField(
        _("shown by name in the coalition's figures"),
        default=False,
        help_text=_(
            "Only with the organisation's consent; otherwise its figures are shown as "
            "“Organisation A”, “Organisation B”, …"
        ),
    )

    class Meta:
        db_table = "dvpp_membership"
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["coalition", "joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "organisation"],
                condition=models.Q(left_on__isnull=True),
                name="membership_one_current",
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="membership_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.coalition}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None or self.left_on > timezone.localdate()

    def clean(self) -> None:
        super().clean()
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": _("An organisation cannot leave before it joined.")})
        if self.coalition_id and self.organisation_id:
            others = Membership.objects.filter(
                coalition_id=self.coalition_id, organisation_id=self.organisation_id
            ).exclude(pk=self.pk)
            for other in others:
                # Two memberships of one organisation may not overlap: it would count twice.
                ends = other.left_on or datetime.date.max
                mine = self.left_on or datetime.date.max
                if other.joined_on < mine and self.joined_on < ends:
                    raise ValidationError(
                        _("This organisation is already a member of this coalition then.")
                    )
