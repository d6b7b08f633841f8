"""One exact answer for each access check: a page (200), a refusal (403, 404, 400), or a redirect
to a named page. A check that accepts "200 or 302" would also pass on a redirect to the sign-in
page, which is the answer it exists to rule out."""

from urllib.parse import urlsplit

from django.urls import resolve


def assert_redirects_to(response, view_name: str, **kwargs) -> None:
    """A redirect to the page called ``view_name`` (its URL's kwargs, where given, too)."""
    location = response.get("Location")
    assert response.status_code == 302, (response.status_code, location, view_name)
    match = resolve(urlsplit(location).path)
    assert match.view_name == view_name, (location, view_name)
    for key, value in kwargs.items():
        assert str(match.kwargs[key]) == str(value), (location, key, value)


def assert_answer(response, expected: int | str) -> None:
    """``expected`` is a status code, or the name of the page a redirect must lead to."""
    if isinstance(expected, str):
        assert_redirects_to(response, expected)
    else:
        assert response.status_code == expected, (response.status_code, response.get("Location"))
