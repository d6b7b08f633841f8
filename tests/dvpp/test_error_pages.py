"""Error pages and response headers: nothing of a case leaks, the page still speaks the language."""

from django.urls import reverse


def test_server_error_page_shows_no_traceback_or_local_data(client, db, settings):
    settings.ROOT_URLCONF = "tests.dvpp.failing_urls"
    settings.DEBUG = False
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    content = response.content.decode()
    assert "Something went wrong" in content
    assert "Hidden Lane" not in content
    assert "Traceback" not in content


def test_not_found_page_is_translated(client_for, org_a):
    client = client_for(org_a.facilitator)
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


def test_pages_carry_the_protective_headers(client_for, org_a):
    response = client_for(org_a.manager).get(reverse("staff_list"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy and "frame-ancestors 'none'" in policy
    assert "camera=()" in response["Permissions-Policy"]


def test_pages_load_no_asset_from_another_host(client_for, org_a):
    content = client_for(org_a.manager).get(reverse("home")).content.decode()
    assert "https://" not in content and "http://" not in content
