"""Signing in over HTTP as a person would: password, then a code from the authenticator app
(RFC 6238, computed here from the key ``benchmarks.prepare`` enrolled), then the password again
for exports."""

import hashlib
import hmac
import re
import struct
import time

import requests

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def totp(key_hex: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


def csrf_token(html: str) -> str:
    found = TOKEN.search(html)
    if not found:
        raise RuntimeError("No CSRF token on the page.")
    return found.group(1)


class SignInFailed(RuntimeError):
    pass


def sign_in(
    session: requests.Session, base: str, username: str, password: str, key: str
) -> requests.Session:
    """Both factors and a fresh re-authentication; raises SignInFailed with the step that did."""
    login = session.get(f"{base}/accounts/login/")
    answer = session.post(
        f"{base}/accounts/login/",
        data={
            "csrfmiddlewaretoken": csrf_token(login.text),
            "username": username,
            "password": password,
        },
    )
    if "/accounts/two-factor/" not in answer.url:
        raise SignInFailed(f"{username}: the password was not accepted ({answer.status_code}).")
    # A code is accepted once: each account signs in once for each database it is used on.
    answer = session.post(
        answer.url,
        data={"csrfmiddlewaretoken": csrf_token(answer.text), "code": totp(key)},
    )
    if "/accounts/two-factor/" in answer.url:
        raise SignInFailed(f"{username}: the second factor was not accepted.")
    confirm = session.get(f"{base}/accounts/confirm/", params={"next": "/"})
    answer = session.post(
        confirm.url,
        data={"csrfmiddlewaretoken": csrf_token(confirm.text), "password": password, "next": "/"},
    )
    if "/accounts/confirm/" in answer.url:
        raise SignInFailed(f"{username}: re-authentication was not accepted.")
    return session
