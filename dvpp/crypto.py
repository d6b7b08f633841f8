"""Encryption at rest for the most dangerous fields: a partner's phone, e-mail, address, safe
contact notes and what she says at check-ins.

Values are encrypted with Fernet (AES-128-CBC with HMAC-SHA256) under the first key of
``FIELD_ENCRYPTION_KEYS`` and decrypted with whichever listed key fits, so a new key can be put
first while older rows stay readable; ``manage.py rotate_encryption_keys`` then re-encrypts every
row under the new key, after which the old one can be removed. See docs/security.md.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS holds a value that is not a Fernet key."
        ) from None


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "An encrypted value cannot be read with FIELD_ENCRYPTION_KEYS: a key is missing."
        ) from None


def rotate(token: str) -> str:
    """The same value encrypted under the first (newest) key."""
    return fernet().rotate(token.encode()).decode()


class EncryptedTextField(models.TextField):
    """Text stored encrypted; read and written as plain text in Python. It cannot be searched
    or sorted in the database, by design. An empty value is stored empty."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(value)
