"""Sending text messages through a pluggable backend, like Django's e-mail backends.

``SMS_BACKEND`` names the class. The default writes each message to the log (and to
``SMS_FILE_PATH`` if set); ``dvpp.sms.HttpSmsBackend`` posts to a gateway configured by
``SMS_GATEWAY_URL``, ``SMS_GATEWAY_TOKEN`` and ``SMS_SENDER``. A backend returns the gateway's
message id and raises SmsError when the message was not accepted.
"""

import json
import logging
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    pass


# The GSM 03.38 alphabet: a message written only in it is sent 7 bits a character (160 in one
# SMS, 153 a part when split); the extension characters take two places. Anything else, Cyrillic
# included, sends the whole message as UCS-2: 70 characters in one SMS, 67 a part.
_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENSION = set("^{}\\[~]|€\f")


def sms_parts(text: str) -> int:
    """How many SMS a gateway bills for ``text``."""
    if all(char in _GSM_BASIC or char in _GSM_EXTENSION for char in text):
        length = sum(2 if char in _GSM_EXTENSION else 1 for char in text)
        single, part = 160, 153
    else:
        length = len(text.encode("utf-16-le")) // 2  # an emoji takes two UCS-2 places
        single, part = 70, 67
    if length <= single:
        return 1
    return -(-length // part)


class LogSmsBackend:
    """Development and tests: record the message instead of sending it."""

    def send(self, *, to: str, text: str, sender: str) -> str:
        message_id = uuid.uuid4().hex
        # The number is shortened in the log: a log is not a phone book.
        logger.info(
            "SMS %s to …%s (%s characters, %s SMS)", message_id, to[-3:], len(text), sms_parts(text)
        )
        path = getattr(settings, "SMS_FILE_PATH", "")
        if path:
            with Path(path).open("a", encoding="utf-8") as out:
                out.write(
                    json.dumps(
                        {"id": message_id, "to": to, "from": sender, "text": text},
                        ensure_ascii=False,
                    )
                    + "\n"
                )
        return message_id


class HttpSmsBackend:
    """A generic HTTP gateway: POST JSON {to, from, text} with a bearer token; the response
    carries the message id as ``id``."""

    def send(self, *, to: str, text: str, sender: str) -> str:
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
            settings.SMS_GATEWAY_URL,
            data=json.dumps({"to": to, "from": sender, "text": text}).encode(),
            headers={
                "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}",
                "Content-Type": "application/json",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return str(json.loads(response.read() or b"{}").get("id", ""))
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            raise SmsError(f"gateway refused the message: {error}") from None


def send_sms(*, to: str, text: str) -> str:
    backend = import_string(settings.SMS_BACKEND)()
    return backend.send(to=to, text=text, sender=settings.SMS_SENDER)


DELIVERED = {"delivered", "delivrd"}
NOT_DELIVERED = {"failed", "undelivered", "undeliv", "rejected", "expired"}


def delivery_report(*, gateway_id: str, status: str) -> bool:
    """Record what the gateway says became of a message it accepted. A message it could not
    deliver is marked failed, so that staff see it on the failed-messages page. False when no
    message has this id."""
    from django.utils import timezone

    from .models import Notification

    status = status.strip().lower()[:20]
    messages = Notification.objects.filter(
        channel=Notification.Channel.SMS, gateway_id=gateway_id
    ).exclude(gateway_id="")
    if not messages.exists():
        return False
    if status in DELIVERED:
        messages.update(delivery_status=status, delivered_at=timezone.now())
    elif status in NOT_DELIVERED:
        messages.update(
            delivery_status=status,
            state=Notification.State.FAILED,
            last_error=f"gateway: {status}",
        )
    else:
        messages.update(delivery_status=status)
    return True
