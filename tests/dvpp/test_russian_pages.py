"""Every page in Russian: each role of the Russian demo organisation crawls what it can reach
with the interface in Russian, and no English word may show (names and codes aside)."""

import re
from html.parser import HTMLParser

import pytest

from dvpp.demo import seed_all
from dvpp.models import User
from tests.security.crawl import crawl

# Latin words that are right in a Russian page: names of formats, products and codes.
ALLOWED = {
    "DVPP", "CSV", "XLSX", "PDF", "ZIP", "JSON", "HTML", "SMS", "MARAC", "DASH", "TOTP", "QR",
    "ID", "English", "FreeOTP", "Aegis", "Google", "Microsoft", "Authenticator", "htmx",
    "UTF", "Excel", "MB", "v", "e-mail", "email",
    "n",  # the statistician's n, as written in Russian too
}  # fmt: skip
IMPORT_CODES = {"en", "ru", "yes", "no", "baseline", "midpoint", "exit", "follow", "up", "true"}
# The incident import: how it became known, and the outcome.
IMPORT_CODES |= {"police", "probation", "himself", "nfa", "caution", "charge", "conviction"}
IMPORT_CODES |= {"administrative"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
SKIP_TAGS = {"script", "style", "code", "pre", "svg", "title"}
ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}


class _Text(HTMLParser):
    """What a reader sees or hears: text outside code, and the labelling attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (
            tag in SKIP_TAGS
            or attrs.get("lang") == "en"
            or "font-monospace" in (attrs.get("class") or "")
        ):
            self._skip.append(tag)
        for name in ATTRIBUTES & attrs.keys():
            self.parts.append(attrs[name] or "")
        if tag == "input" and (attrs.get("type") or "") in {"submit", "button"}:
            self.parts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_words(html: str, allowed: set[str]) -> set[str]:
    parser = _Text()
    parser.feed(html)
    words = set()
    # E-mail addresses and web addresses are Latin by nature.
    text = re.sub(r"\S+@\S+|https?://\S+", " ", " ".join(parser.parts))
    # File names too (summary.html, audit-log-2026.csv).
    text = re.sub(r"[\w-]+\.(?:html|json|csv|xlsx|pdf|zip)\b", " ", text)
    for token in LATIN_WORD.findall(text):
        if token in allowed or token.lower() in allowed or re.fullmatch(r"[a-f]+(-[a-f]+)*", token):
            continue
        words.add(token)
    return words


@pytest.fixture
def russian_demo(db):
    """The demo data: the Russian organisation has a case in every status, groups, partners."""
    seed_all()


@pytest.mark.parametrize("suffix", ["facilitator", "iss", "manager", "admin", "analyst"])
def test_every_page_a_russian_user_reaches_is_in_russian(client, russian_demo, db, suffix):
    from dvpp.demo import DEMO_ANALYST
    from tests.conftest import mark_reauthenticated, pass_second_factor

    # The demo coalition's analyst, working in Russian, stands for the coalition's pages.
    user = User.objects.get(username=DEMO_ANALYST if suffix == "analyst" else f"ru-{suffix}")
    client.force_login(user)
    pass_second_factor(client, user)
    mark_reauthenticated(client)  # the admin site's user pages ask for it
    client.cookies["django_language"] = "ru"
    # Usernames of the organisation's staff are Latin by nature.
    usernames = set(
        User.objects.filter(organisation=user.organisation).values_list("username", flat=True)
    )
    # So are the names people gave their coalitions and organisations, and the handout files
    # they uploaded: data, not the interface.
    from coalition.models import Coalition
    from dvpp.models import Organisation
    from sessions.models import Handout

    names = [*Coalition.objects.values_list("name", flat=True)]
    names += Organisation.objects.values_list("name", flat=True)
    names += [file.rsplit("/", 1)[-1] for file in Handout.objects.values_list("file", flat=True)]
    data_words = {word for name in names for word in LATIN_WORD.findall(name)}
    data_words |= set(LATIN_WORD.findall(f"{user.first_name} {user.last_name}"))
    allowed = ALLOWED | usernames | data_words | {"zip", "txt"}
    result = crawl(client, search_values=["Иванов"], limit=150)
    pages = [visit for visit in result.visits if visit.content_type.startswith("text/html")]
    # An analyst has the coalition's figures (by year) and their own account: fewer pages.
    least = 6 if suffix == "analyst" else 20
    assert len(pages) >= least, f"only {len(pages)} pages: the crawl did not get far"
    found = {}
    for visit in pages:
        # The import guides quote the values a spreadsheet holds: codes, not words.
        codes = IMPORT_CODES if "/import" in visit.url else set()
        if visit.url.startswith("/admin/"):
            # The admin site shows both labels of every list side by side, and Django's own
            # templates have a few fixed English alt texts: its Russian is Django's.
            continue
        if visit.status == 200 and (words := english_words(visit.text, allowed | codes)):
            found[visit.url] = sorted(words)
    assert not found, "\n".join(f"{url}: {words}" for url, words in sorted(found.items()))
