"""The reviewer's page of a revised document shows what changed since their last decision, and a
reject asks for a reason and a confirming press: real SQLite, real services, the real web app."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from html import unescape
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from fastapi.testclient import TestClient
from fpdf import FPDF
from playwright.sync_api import Browser, expect

from governance.adapters.database.database import Database
from governance.adapters.documents.text_extract import extract_text
from governance.adapters.mail.sink import free_port
from governance.adapters.route_files import parse_route
from governance.entrypoints.status_json import status_to_json
from governance.entrypoints.web import create_app
from governance.services.audit import Actor
from governance.services.revisions import Revision, revise_signoff
from governance.services.signoffs import NewSignOff, advance_signoff, start_signoff
from governance.services.status import signoff_status
from governance.settings import Settings
from tests.integration.signoffs_helpers import links
from tests.integration.web_fixtures import (
    FINANCE,
    LEAD,
    ROUTE_YAML,
    STARTED,
    Example,
    make_database,
    make_settings,
    serving,
)
from tests.page_checks import NARROW, axe_violations, scrolls_sideways

F1, F2 = FINANCE
QUALITY = "quality@example.nhs.uk"
CLINICAL = ("clin.a@example.nhs.uk", "clin.b@example.nhs.uk", "clin.c@example.nhs.uk")
V1_TEXT = ["The agreement runs for two years from April.", "Payments are made monthly in arrears."]
V2_TEXT = [
    "The agreement runs for three years from April.",
    "Payments are made monthly in arrears.",
    "A new clause on sharing data with the alliance.",
]
NOTE = "Term extended to three years; data-sharing clause added."
INS = re.compile(r"<ins><span class=\"visually-hidden\">added: </span>(.*?)<span", re.S)
DEL = re.compile(r"<del><span class=\"visually-hidden\">removed: </span>(.*?)<span", re.S)


def word_document(paragraphs: list[str]) -> bytes:
    """A minimal .docx (the parts Word and mammoth need), written with zipfile."""
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(p)}</w:t></w:r></w:p>' for p in paragraphs)
    main = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            f'<?xml version="1.0"?><w:document xmlns:w="{main}"><w:body>{body}</w:body></w:document>',
        )
    return buffer.getvalue()


def pdf_document(paragraphs: list[str]) -> bytes:
    """A PDF made with fpdf2, a blank line between paragraphs."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
    return bytes(pdf.output())


def text_document(paragraphs: list[str]) -> bytes:
    return "\n\n".join(paragraphs).encode()


@dataclass
class Loop:
    """A sign-off on the example route, driven through the web app and ``revise``."""

    client: TestClient
    settings: Settings
    db: Database
    signoff_id: str
    folder: Path
    revisions: int = 0

    def link(self, reviewer: str, stage: str = "finance") -> str:
        return f"/a/{links(self.db, self.settings, self.signoff_id)[stage, reviewer]}"

    def page(self, reviewer: str, stage: str = "finance") -> str:
        response = self.client.get(self.link(reviewer, stage))
        assert response.status_code == 200
        return response.text

    def post(self, reviewer: str, stage: str = "finance", **form: str) -> Any:
        return self.client.post(self.link(reviewer, stage), data=form)

    def revise(self, filename: str, content: bytes, note: str = "") -> None:
        """The lead sends the next version, and the orchestrator's advance step reopens the stage."""
        self.revisions += 1
        document = self.folder / f"r{self.revisions}" / filename
        document.parent.mkdir(parents=True)
        document.write_bytes(content)
        at = STARTED + timedelta(days=self.revisions)
        revision = Revision(self.signoff_id, document, note, Actor(LEAD))
        revise_signoff(self.db, self.settings, revision, now=at, text_of=extract_text)
        advance_signoff(self.db, self.settings, self.signoff_id, now=at)

    def decisions(self) -> list[tuple[str, str, str, int]]:
        stages = status_to_json(signoff_status(self.db, self.signoff_id))["stages"]
        return [(s["id"], d["reviewer"], d["decision"], d["version"]) for s in stages for d in s["decisions"]]


@contextmanager
def started(
    tmp_path: Path, filename: str, content: bytes, *, base_url: str = "http://testserver"
) -> Iterator[Loop]:
    settings = make_settings(tmp_path / "data", base_url=base_url)
    db = make_database(settings)
    document = tmp_path / "v1" / filename
    document.parent.mkdir(parents=True)
    document.write_bytes(content)
    request = NewSignOff(
        route=parse_route(ROUTE_YAML, path="contracts-over-250k.yaml"),
        route_yaml=ROUTE_YAML,
        title="VCSE partnership agreement",
        document=document,
        lead=LEAD,
        target=STARTED.date() + timedelta(days=60),
    )
    signoff_id = start_signoff(db, settings, request, now=STARTED)
    advance_signoff(db, settings, signoff_id, now=STARTED)
    try:
        with TestClient(create_app(settings, db)) as client:
            yield Loop(client, settings, db, signoff_id, tmp_path)
    finally:
        db.dispose()


def changes_asked_and_revised(loop: Loop, filename: str, content: bytes, note: str = NOTE) -> None:
    """Finance one approves version 1, finance two asks for changes, the lead sends version 2."""
    assert loop.post(F1, decision="approve").status_code == 200
    assert loop.post(F2, decision="changes", comment="Please extend the term.").status_code == 200
    loop.revise(filename, content, note)


def listed(page: str) -> str:
    """The list of changed paragraphs on the page ("" when there is none)."""
    start = page.find('<ol class="diff-list">')
    return "" if start < 0 else page[start : page.index("</ol>", start)]


def marked(page: str) -> tuple[list[str], list[str]]:
    """The inserted and the deleted runs of words in the list of changed paragraphs."""
    region = listed(page)
    return [unescape(m) for m in INS.findall(region)], [unescape(m) for m in DEL.findall(region)]


@pytest.mark.parametrize(
    ("filename", "make"),
    [
        pytest.param("agreement.txt", text_document, id="plain text"),
        pytest.param("agreement.md", text_document, id="markdown"),
        pytest.param("agreement.docx", word_document, id="word"),
        pytest.param("agreement.pdf", pdf_document, id="pdf"),
    ],
)
def test_a_revised_document_shows_inserted_and_deleted_words_and_the_leads_note(
    tmp_path: Path, filename: str, make: Any
) -> None:
    with started(tmp_path, filename, make(V1_TEXT)) as loop:
        changes_asked_and_revised(loop, filename, make(V2_TEXT))
        page = loop.page(F1)
    inserted, deleted = marked(page)
    assert inserted == ["three", "A new clause on sharing data with the alliance."]
    assert deleted == ["two"]
    assert "What changed since version 1" in page
    assert "You last decided on version 1" in page
    assert NOTE in page
    assert "Payments are made monthly in arrears." not in page  # unchanged paragraphs are left out


@pytest.mark.parametrize(
    ("filename", "old", "new"),
    [
        pytest.param(
            "budget.xlsx", b"PK\x03\x04 a workbook", b"PK\x03\x04 another workbook", id="unknown type"
        ),
        pytest.param("agreement.docx", b"not a zip at all", b"still not a zip", id="corrupt word document"),
        pytest.param("agreement.pdf", b"%PDF-1.4 broken", b"%PDF-1.4 broken again", id="corrupt pdf"),
    ],
)
def test_a_file_whose_text_cannot_be_read_shows_that_it_changed_and_both_fingerprints(
    tmp_path: Path, filename: str, old: bytes, new: bytes
) -> None:
    with started(tmp_path, filename, old) as loop:
        changes_asked_and_revised(loop, filename, new)
        page = loop.page(F1)
    assert "The file has changed, but its text cannot be compared here" in page
    for content in (old, new):
        assert hashlib.sha256(content).hexdigest() in page
    assert listed(page) == ""
    assert "Traceback" not in page


def test_each_reviewer_sees_the_changes_since_the_version_they_last_decided_on(tmp_path: Path) -> None:
    versions = [["Alpha one."], ["Alpha two."], ["Alpha three."]]
    with started(tmp_path, "agreement.txt", text_document(versions[0])) as loop:
        changes_asked_and_revised(loop, "agreement.txt", text_document(versions[1]), note="Second go.")
        assert loop.post(F2, decision="changes", comment="Not yet.").status_code == 200
        loop.revise("agreement.txt", text_document(versions[2]), note="Third go.")
        first, second = loop.page(F1), loop.page(F2)
    assert "You last decided on version 1" in first
    assert marked(first) == (["three."], ["one."])
    assert "Third go." in first
    assert "Second go." in first  # every note since the version compared with, newest first
    assert first.index("Third go.") < first.index("Second go.")
    assert "You last decided on version 2" in second
    assert marked(second) == (["three."], ["two."])
    assert "Second go." not in second


def test_a_reviewer_who_never_decided_sees_the_changes_since_version_one(tmp_path: Path) -> None:
    with started(tmp_path, "agreement.txt", text_document(V1_TEXT)) as loop:
        changes_asked_and_revised(loop, "agreement.txt", text_document(V2_TEXT))
        for reviewer in FINANCE:
            assert loop.post(reviewer, decision="approve").status_code == 200
        advance_signoff(loop.db, loop.settings, loop.signoff_id, now=STARTED + timedelta(days=3))
        page = loop.page(QUALITY, "quality")
    assert "You have not\n    decided on an earlier version, so this compares version 1" in page
    assert marked(page)[1] == ["two"]


def test_the_first_version_shows_no_changes(tmp_path: Path) -> None:
    with started(tmp_path, "agreement.txt", text_document(V1_TEXT)) as loop:
        page = loop.page(F1)
    assert "What changed" not in page


def test_document_text_is_escaped_on_the_changes_page(tmp_path: Path) -> None:
    hostile = "<script>alert('owned')</script> & <b>bold</b>"
    with started(tmp_path, "agreement.txt", text_document(V1_TEXT)) as loop:
        changes_asked_and_revised(loop, "agreement.txt", text_document([*V1_TEXT, hostile]), note=hostile)
        page = loop.page(F1)
    assert "<script>alert" not in page
    assert "<b>bold" not in page
    assert "&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;" in page


def test_a_huge_document_gets_counts_and_a_download_to_compare_instead_of_every_word(tmp_path: Path) -> None:
    old = [f"Clause {n}: the parties agree to the terms set out in schedule {n}." for n in range(4000)]
    new = [*old[:10], "Clause 10: replaced.", *old[11:]]
    with started(tmp_path, "agreement.txt", text_document(old)) as loop:
        changes_asked_and_revised(loop, "agreement.txt", text_document(new))
        page = loop.page(F1)
    assert "too long to show word by word" in page
    assert "0 paragraphs added, 0 removed and\n    1 changed" in page
    assert listed(page) == ""
    assert len(page) < 50_000


def test_a_reject_without_a_reason_is_refused_with_a_422_and_records_nothing(tmp_path: Path) -> None:
    with started(tmp_path, "agreement.txt", text_document(V1_TEXT)) as loop:
        for comment in ("", "   \n\t "):
            response = loop.post(F1, decision="reject", comment=comment, confirm="yes")
            assert response.status_code == 422
            assert '<a href="#comment">Say why you are rejecting the document.' in response.text
            assert 'id="comment-error"' in response.text
            assert 'aria-describedby="comment-hint comment-error"' in response.text
            assert "<title>Error: " in response.text
        assert loop.decisions() == []


def test_a_reject_with_a_reason_but_no_confirmation_shows_what_it_will_do_and_records_nothing(
    tmp_path: Path,
) -> None:
    reason = 'Section 4 is wrong: "exit" & <costs>'
    with started(tmp_path, "agreement.txt", text_document(V1_TEXT)) as loop:
        response = loop.post(F1, decision="reject", comment=reason)
        assert loop.decisions() == []
    assert response.status_code == 200
    page = response.text
    assert "Are you sure you want to reject" in page
    assert (
        "Finance review needs both reviewers to approve: your reject means this stage cannot be approved"
        in page
    )
    assert "The stage ends as rejected, and so does the sign-off." in page
    assert "Nothing has been recorded yet." in page
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page.split("</form>")[0]))
    assert {name: unescape(value) for name, value in hidden.items()} == {
        "decision": "reject",
        "comment": reason,
        "document_sha256": hashlib.sha256(text_document(V1_TEXT)).hexdigest(),
        "confirm": "yes",
    }
    assert "No, go back to my decision" in page


def test_under_a_two_of_three_rule_the_confirmation_says_the_reject_counts_as_one_vote_against(
    tmp_path: Path,
) -> None:
    with started(tmp_path, "agreement.txt", text_document(V1_TEXT)) as loop:
        for reviewer in FINANCE:
            loop.post(reviewer, decision="approve")
        advance_signoff(loop.db, loop.settings, loop.signoff_id, now=STARTED + timedelta(days=1))
        page = loop.post(CLINICAL[0], "clinical", decision="reject", comment="Unsafe staffing.").text
    assert (
        "Clinical review needs 2 of its 3 reviewers to approve: your reject counts as one vote against"
        in page
    )
    assert "It is still approved if 2 of the other reviewers approve." in page


def test_posting_the_confirmation_records_the_reject_at_once(tmp_path: Path) -> None:
    with started(tmp_path, "agreement.txt", text_document(V1_TEXT)) as loop:
        page = loop.post(F1, decision="reject", comment="Not affordable.").text
        form = page.split("</form>")[0]
        hidden = {n: unescape(v) for n, v in re.findall(r'name="(\w+)" value="([^"]*)"', form)}
        recorded = loop.post(F1, **hidden)
        assert recorded.status_code == 200
        assert "your rejection of" in recorded.text
        assert loop.decisions() == [("finance", F1, "reject", 1)]
        assert status_to_json(signoff_status(loop.db, loop.signoff_id))["state"] == "rejected"


def test_going_back_from_the_confirmation_shows_the_form_again_with_the_reason_kept(tmp_path: Path) -> None:
    with started(tmp_path, "agreement.txt", text_document(V1_TEXT)) as loop:
        back = loop.post(F1, decision="reject", comment="On reflection, maybe.", confirm="back")
        assert loop.decisions() == []
    assert back.status_code == 200
    assert "On reflection, maybe.</textarea>" in back.text
    assert '<button class="button warning" type="submit" name="decision" value="reject">' in back.text
    assert "Are you sure" not in back.text


@pytest.mark.browser
def test_the_changes_and_confirmation_pages_pass_axe_and_fit_320_pixels(
    browser: Browser, tmp_path: Path
) -> None:
    port = free_port()
    long_word = "Supercalifragilistic" * 8
    v2 = [*V2_TEXT, f"A clause with {long_word} in it."]
    with started(
        tmp_path, "agreement.txt", text_document(V1_TEXT), base_url=f"http://127.0.0.1:{port}"
    ) as loop:
        changes_asked_and_revised(loop, "agreement.txt", text_document(v2))
        link = loop.link(F1)
        example = Example(loop.settings, loop.db, loop.signoff_id, {})
        with serving(example, port) as url:
            context = browser.new_context(bypass_csp=True, viewport=NARROW)
            page = context.new_page()
            page.goto(url + link)
            assert page.locator("ins").count() >= 2
            assert axe_violations(page) == []
            assert not scrolls_sideways(page)
            page.get_by_role("button", name="Reject").click()
            page.get_by_role("heading", name="There is a problem").wait_for()
            assert axe_violations(page) == []
            assert not scrolls_sideways(page)
            page.get_by_role("link", name=re.compile("Say why you are rejecting")).click()
            expect(page.get_by_label("Comment")).to_be_focused()
            page.get_by_label("Comment").fill("The term is too long.")
            page.get_by_role("button", name="Reject").click()
            page.get_by_role("heading", name=re.compile("Are you sure")).wait_for()
            assert axe_violations(page) == []
            assert not scrolls_sideways(page)
            page.get_by_role("button", name="No, go back to my decision").click()
            assert page.get_by_label("Comment").input_value() == "The term is too long."
            page.get_by_role("button", name="Reject").click()
            page.get_by_role("button", name="Yes, reject the document").click()
            page.get_by_role("heading", name=re.compile("your rejection")).wait_for()
            context.close()
        assert loop.decisions()[-1] == ("finance", F1, "reject", 2)
