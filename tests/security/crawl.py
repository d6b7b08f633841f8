"""A small same-site crawler for the wall tests: follows every link a signed-in user is shown,
submits every search form with the values being hunted, and reads every download.

Nothing here decides what may be seen: test_crawl.py holds the assertions.
"""

import io
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

SKIP_PREFIXES = ("/static/", "/accounts/logout/", "/i18n/")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Form:
    method: str
    action: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, name, value)
    options: dict[str, list[str]] = field(default_factory=dict)  # a select's choices


class _Page(HTMLParser):
    """The links (href and htmx's hx-get) and the forms of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._in_form = False
        self._select: str | None = None
        self._select_value: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "hx-get"):
            if attrs.get(name):
                self.links.append(attrs[name])
        form = self.forms[-1] if self._in_form else None
        if tag == "form":
            self._in_form = True
            self.forms.append(
                Form(method=(attrs.get("method") or "get").lower(), action=attrs.get("action", ""))
            )
        elif form is None or (not attrs.get("name") and tag != "option"):
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            if kind not in {"submit", "button", "image", "file"}:
                form.fields.append((kind, attrs["name"], attrs.get("value") or ""))
        elif tag == "textarea":
            form.fields.append(("text", attrs["name"], ""))
        elif tag == "select":
            self._select, self._select_value = attrs["name"], None
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            form.options.setdefault(self._select, []).append(value)
            if self._select_value is None or "selected" in attrs:
                self._select_value = value

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select" and self._select is not None and self.forms:
            self.forms[-1].fields.append(("select", self._select, self._select_value or ""))
            self._select = None


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def readable_text(content_type: str, body: bytes) -> str:
    """What a person (or a program) reading this response could read in it."""
    if content_type.startswith("application/pdf"):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(body))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    if content_type.startswith("application/zip"):
        import mimetypes
        import zipfile

        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(
                readable_text(mimetypes.guess_type(name)[0] or "text/plain", archive.read(name))
                for name in archive.namelist()
            )
    if content_type.startswith(XLSX):
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            " ".join("" if value is None else str(value) for value in row)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    return body.decode("utf-8", errors="replace")


@dataclass
class Visit:
    url: str
    status: int
    content_type: str
    text: str  # the body as readable text (decompressed for PDF and XLSX)
    headers: str
    typed: str | None  # the value typed into a search form to get here, if any


@dataclass
class Crawl:
    visits: list[Visit] = field(default_factory=list)
    forms_submitted: int = 0

    @property
    def paths(self) -> set[str]:
        return {urlsplit(visit.url).path for visit in self.visits}


def _same_site(base: str, link: str) -> str | None:
    link = link.strip()
    if not link or link.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    absolute = urljoin(base, link)
    parts = urlsplit(absolute)
    if parts.scheme not in {"", "http"} or parts.netloc not in {"", "testserver"}:
        return None
    if parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, *, start: str = "/", search_values: list[str], limit: int = 400) -> Crawl:
    """Breadth first from ``start``, de-duplicated by path and query, at most ``limit`` pages.

    Every GET form found is submitted once for each of ``search_values``, typed into each of
    its text boxes (other fields keep what the page set)."""
    result = Crawl()
    # (url, what was typed to get there, whether it is a form's answer)
    queue: deque[tuple[str, str | None, bool]] = deque([(start, None, False)])
    seen = {start}
    forms_seen: set[tuple[str, tuple[str, ...]]] = set()

    def push(url: str | None, typed: str | None = None, answer: bool = False) -> None:
        if url is not None and url not in seen:
            seen.add(url)
            queue.append((url, typed, answer))

    while queue and len(result.visits) < limit:
        url, typed, answer = queue.popleft()
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = readable_text(content_type, body) if response.status_code == 200 else ""
        headers = "\n".join(f"{name}: {value}" for name, value in response.items())
        headers += "\n" + response.cookies.output()
        result.visits.append(Visit(url, response.status_code, content_type, text, headers, typed))
        if response.status_code in {301, 302}:
            push(_same_site(url, response["Location"]))
            continue
        # A search's or a filter's answer is read, not crawled from: its links are the page's
        # own links again with the query kept (every export in every filter is not needed).
        if answer or response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        page = parse(text)
        for link in page.links:
            push(_same_site(url, link))
        for form in page.forms:
            if form.method != "get":
                continue  # only searches and filters: a crawl changes nothing
            action = _same_site(url, form.action or url)
            names = tuple(name for _kind, name, _value in form.fields)
            if action is None or (urlsplit(action).path, names) in forms_seen:
                continue
            forms_seen.add((urlsplit(action).path, names))
            for query, typed in _submissions(form, search_values):
                result.forms_submitted += 1
                push(f"{urlsplit(action).path}?{urlencode(query)}", typed, answer=True)
    return result


def _submissions(form: Form, search_values: list[str]):
    """Each search value typed into every text box; then each choice of each list, one list at
    a time (the filters), the other fields as the page set them."""
    defaults = [(name, value) for _kind, name, value in form.fields]
    if any(kind in {"text", "search"} for kind, _name, _value in form.fields):
        for typed in search_values:
            query = [
                (name, typed if kind in {"text", "search"} else value)
                for kind, name, value in form.fields
            ]
            yield query, typed
    for select, choices in form.options.items():
        for choice in choices:
            query = [(name, choice if name == select else value) for name, value in defaults]
            if query != defaults:
                yield query, None
