"""Tables of the document loop: versions of a document, delegations and absences."""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, String, Table, Text

from governance.adapters.database.tables import metadata
from governance.adapters.database.types import UtcDateTime

# Every version of a sign-off's document: the stored copy, its fingerprint and the lead's note.
document_versions = Table(
    "document_versions",
    metadata,
    Column("signoff_id", String(32), ForeignKey("signoffs.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("filename", String(300), nullable=False),
    Column("path", String(1000), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("change_summary", Text, nullable=False, default=""),  # what changed since the one before
    Column("at", UtcDateTime, nullable=False),
    Column("made_by", String(320), nullable=False),
)

# A review handed to someone else for one version of a stage: by the reviewer (a deputy), by an
# officer (a reassignment) or because the reviewer is away.
delegations = Table(
    "delegations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("signoff_id", String(32), ForeignKey("signoffs.id"), nullable=False),
    Column("stage_id", String(120), nullable=False),
    Column("version", Integer, nullable=False),
    Column("reviewer", String(320), nullable=False),
    Column("deputy", String(320), nullable=False),
    Column("how", String(16), nullable=False),  # delegated, reassigned, away
    Column("made_by", String(320), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Index("ix_delegations_stage", "signoff_id", "stage_id"),
)

# Someone away between two dates (London, inclusive): their reviews go to the deputy meanwhile.
absences = Table(
    "absences",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("person", String(320), nullable=False, index=True),
    Column("deputy", String(320), nullable=False),
    Column("starts", Date, nullable=False),
    Column("ends", Date, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("made_by", String(320), nullable=False),
)
