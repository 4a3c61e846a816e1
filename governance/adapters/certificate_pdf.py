"""The completion certificate as a PDF (fpdf2), from the certificate read model."""

from __future__ import annotations

import unicodedata

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from governance.services.certificate import Certificate, CertificateDecision

# The PDF core fonts hold Latin-1 only: typographic punctuation is mapped, anything else shown as "?".
PLAIN = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "£": "GBP "})


def latin1(text: str) -> str:
    normal = unicodedata.normalize("NFKC", text).translate(PLAIN)
    return normal.encode("latin-1", "replace").decode("latin-1")


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate: the sign-off, its stages, every decision and the audit chain's final hash."""
    pdf = FPDF(format="A4")
    pdf.set_title(latin1(f"Completion certificate: {certificate.title}"))
    pdf.set_author("signoff")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    _heading(pdf, certificate)
    _section(pdf, "Stages")
    for stage in certificate.stages:
        when = ", ".join(
            p
            for p in (
                f"opened {stage.opened}" if stage.opened else "",
                f"completed {stage.completed}" if stage.completed else "",
            )
            if p
        )
        _line(pdf, f"{stage.name}: {stage.state}" + (f" ({when})" if when else ""))
    _section(pdf, "Decisions")
    if not certificate.decisions:
        _line(pdf, "No decisions recorded yet.")
    for decision in certificate.decisions:
        _decision(pdf, decision)
    _section(pdf, "Audit trail")
    _line(pdf, f"Final hash of the audit chain (SHA-256): {certificate.audit_final_hash or 'none yet'}")
    _line(pdf, f"Generated {certificate.generated_london} London time ({certificate.generated_utc}).")
    _line(pdf, "Check it with: signoff audit verify " + certificate.signoff_id)
    return bytes(pdf.output())


def _heading(pdf: FPDF, certificate: Certificate) -> None:
    pdf.set_font("Helvetica", "B", 18)
    status = "IN PROGRESS - not yet complete" if certificate.in_progress else "Completion certificate"
    pdf.multi_cell(0, 9, latin1(status), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(0, 7, latin1(certificate.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 10)
    for text in (
        f"Sign-off {certificate.signoff_id} - {certificate.organisation}",
        f"Route: {certificate.route_name}",
        f"Lead: {certificate.lead}",
        f"Outcome: {certificate.state}",
        f"Document version {certificate.document_version}, SHA-256 {certificate.document_sha256}",
    ):
        _line(pdf, text)


def _section(pdf: FPDF, title: str) -> None:
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 7, latin1(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 10)


def _line(pdf: FPDF, text: str) -> None:
    pdf.multi_cell(0, 5, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _decision(pdf: FPDF, decision: CertificateDecision) -> None:
    pdf.set_font("Helvetica", "B", 10)
    _line(pdf, f"{decision.stage}: {decision.outcome} by {decision.reviewer}")
    pdf.set_font("Helvetica", "", 10)
    facts = [
        f"On behalf of: {decision.on_behalf_of}" if decision.on_behalf_of else "",
        f"Minute reference: {decision.minute_reference}" if decision.minute_reference else "",
        f"At {decision.at_london} London time ({decision.at_utc})",
        f"Client address: {decision.client_address or 'not recorded'}",
        f"Document SHA-256: {decision.document_sha256}",
        "Possibly automated: decided within 60 seconds of the email being sent"
        if decision.possibly_automated
        else "",
    ]
    for fact in facts:
        if fact:
            _line(pdf, "    " + fact)
