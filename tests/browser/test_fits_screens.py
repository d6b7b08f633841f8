"""Every page of every role fits a tablet (1024×768) and a phone (390×844), in English and
Russian: the page itself never scrolls sideways (a wide table may scroll inside its own box).

The pages are those of the access matrix with real objects (tests/security/urls.py builds them),
plus the admin site's lists for the administrator, each read once per language and measured at
both sizes.
"""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from dvpp.models import Role
from tests import access_matrix
from tests.conftest import mark_reauthenticated, pass_second_factor
from tests.security.crawl import parse
from tests.security.urls import build_world, object_url_entries, url_for

SIZES = ({"width": 1024, "height": 768}, {"width": 390, "height": 844})
LANGUAGES = ("en", "ru")
# Files, not pages: they are read by the export and security tests.
DOWNLOADS = {
    "audit_log_export",
    "outcomes:export",
    "evidence:export",
    "coalition:export",
    "library:download",
    "library:handout",
}

# How wide the page is, and if it is too wide, the element that sticks out furthest (the
# deepest of those with the same right edge), outside any box that scrolls or clips on its own.
MEASURE = """() => {
  const limit = window.innerWidth;
  const width = document.documentElement.scrollWidth;
  if (width <= limit) { return {width, limit, widest: ""}; }
  const clipped = (element) => {
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") { return true; }
    }
    return false;
  };
  let widest = null, right = limit;
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width && box.right >= right && !clipped(element)) { widest = element; right = box.right; }
  }
  if (!widest) { return {width, limit, widest: "?"}; }
  const name = widest.tagName.toLowerCase() + (widest.id ? "#" + widest.id : "") +
    [...widest.classList].map((c) => "." + c).join("");
  const text = (widest.innerText || "").replace(/\\s+/g, " ").trim().slice(0, 60);
  return {width, limit, widest: `${name} (right edge ${Math.round(right)} px) «${text}»`};
}"""


def _pages(world, role) -> list[str]:
    """Every page (GET, HTML) the role may open, with the world's objects in the URLs."""
    urls = [
        reverse(name)
        for name, roles in access_matrix.PAGE_ACCESS.items()
        if role in roles and name not in DOWNLOADS
    ]
    urls += [
        url_for(world, entry)
        for entry in object_url_entries()
        if entry.method == "get" and role in entry.roles and entry.url_name not in DOWNLOADS
    ]
    return urls


def _admin_pages(client) -> list[str]:
    """The admin site's index and each list and add form it links to."""
    index = reverse("admin:index")
    links = parse(client.get(index).content.decode()).links
    found = [index]
    for link in links:
        path = urlsplit(link).path
        if path.startswith(index) and path not in found and "logout" not in path:
            found.append(path)
    return found


def _signed_in_cookie(client, user) -> str:
    client.force_login(user)
    pass_second_factor(client, user)
    mark_reauthenticated(client)  # subject access and erasure pages, not their confirmation
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _html_pages(client, urls: list[str]) -> list[str]:
    """Those of ``urls`` that answer a page: not a PDF, not a redirect (the page it leads to is
    in the list), not a 404 (a destruction act of a man's case, to partner support)."""
    pages = []
    for url in urls:
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append(url)
    return pages


def _too_wide(browser, live_server, cookie: str | None, urls: list[str]) -> list[str]:
    found = []
    for language in LANGUAGES:
        context = browser.new_context(base_url=live_server.url, viewport=SIZES[0], locale="en-GB")
        context.set_default_timeout(30_000)
        cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language}]
        if cookie:
            cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": cookie})
        context.add_cookies([{**c, "url": live_server.url} for c in cookies])
        page = context.new_page()
        for number, url in enumerate(urls):
            page.set_viewport_size(SIZES[0])
            page.goto(url, wait_until="domcontentloaded")  # deferred scripts (charts) have run
            if number == 0:  # a document about a man (his progress report) is in his language
                assert page.locator("html").get_attribute("lang") == language, url
            for size in SIZES:
                if size is not SIZES[0]:
                    page.set_viewport_size(size)
                    page.evaluate("() => new Promise(requestAnimationFrame)")
                seen = page.evaluate(MEASURE)
                if seen["width"] > seen["limit"]:
                    found.append(
                        f"{language} {size['width']}×{size['height']} {url}: {seen['width']} px"
                        f" wide, widest {seen['widest']}"
                    )
        context.close()
    return found


@pytest.mark.parametrize("role", list(Role))
def test_every_page_of_the_role_fits_a_tablet_and_a_phone(
    browser, live_server, client, org_a, role
):
    world = build_world(org_a)
    user = org_a.for_role(role)
    cookie = _signed_in_cookie(client, user)
    urls = _pages(world, role)
    if role == Role.ADMINISTRATOR:
        urls += _admin_pages(client)
    urls = _html_pages(client, urls)
    assert len(urls) >= 5, urls

    too_wide = _too_wide(browser, live_server, cookie, urls)
    assert not too_wide, "pages wider than the screen:\n" + "\n".join(too_wide)


def test_the_sign_in_page_fits_a_tablet_and_a_phone(browser, live_server):
    too_wide = _too_wide(browser, live_server, None, [reverse("login")])
    assert not too_wide, "pages wider than the screen:\n" + "\n".join(too_wide)


@pytest.mark.parametrize("size", SIZES, ids=["tablet", "phone"])
def test_sign_out_and_the_language_switcher_are_on_the_screen(
    browser, live_server, client, org_a, size
):
    """The manager has the most entries, and Russian the longest labels: on a tablet and a
    phone the navigation folds behind its button, and Sign out is in reach."""
    cookie = _signed_in_cookie(client, org_a.manager)
    context = browser.new_context(base_url=live_server.url, viewport=size, locale="en-GB")
    context.add_cookies(
        [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "ru", "url": live_server.url},
            {"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url},
        ]
    )
    page = context.new_page()
    page.goto("/")
    switcher = page.get_by_test_id("language-switcher")
    expect(switcher.get_by_role("button", name="English")).to_be_in_viewport(ratio=1)
    page.locator(".navbar-toggler").click()
    page.get_by_test_id("user-menu").click()
    sign_out = page.get_by_role("button", name="Выйти", exact=True)
    expect(sign_out).to_be_in_viewport(ratio=1)
    sign_out.click()
    expect(page.locator("input[name=username]")).to_be_visible()
    context.close()
