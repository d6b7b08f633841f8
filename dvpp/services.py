"""Writes on organisations and staff: each one checks its rules and saves all or nothing."""

import secrets
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .hooks import app_modules
from .models import Organisation, Role, User
from .roles import group_name


@transaction.atomic
def organisation_create(
    *,
    name: str,
    slug: str = "",
    country: str = Organisation.Country.GB,
    time_zone: str = "",
    default_language: str = "",
) -> Organisation:
    """Create an organisation; the name and the short name must both be new."""
    organisation = Organisation(name=name.strip(), slug=slug or slugify(name), country=country)
    if country == Organisation.Country.GB:
        organisation.holiday_region = "ENG"  # England's bank holidays, changed in the admin site
    if time_zone:
        organisation.time_zone = time_zone
    if default_language:
        organisation.default_language = default_language
    if not organisation.slug:
        raise ValidationError(
            {"slug": _("Give a short name of Latin letters, digits and hyphens (--slug).")}
        )
    organisation.full_clean()
    organisation.save()
    for module in app_modules("defaults"):
        module.install(organisation)
    return organisation


def generate_password() -> str:
    """A random password that passes the validators, shown once to whoever creates the user."""
    return secrets.token_urlsafe(18)


@transaction.atomic
def user_set_role(*, user: User, role: Role | str) -> None:
    """Give a user a role: the field, the matching group, and admin access for administrators.

    A user holds exactly one role group; the other role groups are taken away.
    """
    role = Role(role)
    user.role = role
    # Only administrators work in the admin site; no other role is staff there.
    user.is_staff = role == Role.ADMINISTRATOR
    user.save(update_fields=["role", "is_staff"])
    role_groups = Group.objects.filter(name__in=[group_name(r) for r in Role])
    user.groups.remove(*role_groups)
    user.groups.add(Group.objects.get(name=group_name(role)))


@transaction.atomic
def staff_user_create(
    *,
    username: str,
    organisation: Organisation,
    role: Role | str,
    password: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    patronymic: str = "",
) -> User:
    """Create a member of staff in an organisation with one role.

    The username must be new, the role known and the password strong enough for the
    configured validators; otherwise nothing is created.
    """
    if role not in Role.values:
        message = _("Unknown role “%(role)s”. Choose one of: %(roles)s.") % {
            "role": role,
            "roles": ", ".join(Role.values),
        }
        raise ValidationError({"role": message})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("A user with that username already exists.")})
    user = User(
        username=username,
        organisation=organisation,
        email=email,
        first_name=first_name,
        last_name=last_name,
        patronymic=patronymic,
        role=role,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user_set_role(user=user, role=role)
    return user


@transaction.atomic
def coalition_analyst_create(
    *,
    username: str,
    coalition: Any,  # a coalition.Coalition: the core does not import the app
    password: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create a coalition analyst: a user of a coalition and of no organisation, who sees the
    coalition's anonymous figures and nothing else."""
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("A user with that username already exists.")})
    user = User(
        username=username,
        coalition=coalition,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=Role.COALITION_ANALYST,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user_set_role(user=user, role=Role.COALITION_ANALYST)
    return user
