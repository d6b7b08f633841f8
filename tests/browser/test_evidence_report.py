"""A manager opens the "Did it work?" report, switches to Russian and downloads the PDF."""

import io

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.evidence.shapes import published_shapes
from tests.factories import TEST_PASSWORD


def test_manager_reads_the_evidence_report_in_russian_and_downloads_the_pdf(page, sign_in, org_a):
    published_shapes(org_a.organisation, org_a.facilitator)
    sign_in(org_a.manager.username)
    page.get_by_test_id("main-nav").get_by_role("link", name="Did it work?").click()
    expect(page.get_by_role("heading", name="Did it work?", exact=True)).to_be_visible()
    reduction = page.get_by_test_id("table-reduction")
    expect(reduction).to_contain_text("35%")
    expect(reduction).to_contain_text("2% to 57%")
    expect(page.get_by_test_id("table-change")).to_contain_text("70% to 97%")

    page.get_by_test_id("language-switcher").get_by_role("button", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", name="Сработало ли?", exact=True)).to_be_visible()
    expect(page.get_by_test_id("table-reduction")).to_contain_text("от 2% до 57%")

    page.get_by_test_id("download-pdf").click()
    # A file is leaving the system: the password is asked for once more, then it downloads.
    page.locator("input[type=password]").fill(TEST_PASSWORD)
    with page.expect_download() as download:
        page.locator("main form button[type=submit]").click()
    data = open(download.value.path(), "rb").read()  # noqa: SIM115
    assert data.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Сработало ли?" in text
    assert "от 2% до 57%" in text and "от 70% до 97%" in text
