"""The tables. The database is the source of truth for every sign-off's state."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from governance.adapters.database.types import UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# Each route text a sign-off was started on, once: sign-offs refer to it by its SHA-256.
route_versions = Table(
    "route_versions",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("route_id", String(120), nullable=False),
    Column("yaml", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

signoffs = Table(
    "signoffs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("route_id", String(120), nullable=False, index=True),
    Column("route_name", String(300), nullable=False),
    Column("route_sha256", String(64), ForeignKey("route_versions.sha256"), nullable=False),
    Column("title", String(300), nullable=False),
    Column("lead_email", String(320), nullable=False),
    Column("document_filename", String(300), nullable=False),
    Column("document_path", String(1000), nullable=False),
    Column("document_sha256", String(64), nullable=False),
    Column("document_version", Integer, nullable=False, default=1),
    Column("target", Date, nullable=True),
    Column("state", String(32), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("completed_at", UtcDateTime, nullable=True),
    Column("finished_announced", Boolean, nullable=False, default=False),
    Column("pending_advance", Boolean, nullable=False, default=True, index=True),
    Column("rag", String(8), nullable=True),
    Column("tags", Text, nullable=False, default="", server_default=""),  # space-separated
    # When the watcher must next look at a running sign-off (UTC; NULL once it has ended).
    Column("next_check_at", UtcDateTime, nullable=True),
    # The watcher's range (state = running, next check <= now, in order); also serves state alone.
    Index("ix_signoffs_state_next_check_at", "state", "next_check_at"),
)

stage_runs = Table(
    "stage_runs",
    metadata,
    Column("signoff_id", String(32), ForeignKey("signoffs.id"), primary_key=True),
    Column("stage_id", String(120), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("group_id", String(250), nullable=True),
    Column("state", String(32), nullable=False),
    Column("opened_at", UtcDateTime, nullable=True),
    Column("due", Date, nullable=True),
    Column("completed_at", UtcDateTime, nullable=True),
    Column("announced", Boolean, nullable=False, default=False),
    # A meeting stage: the meeting it is booked on, its paper deadline, the paper, chair's action.
    Column("meeting", Date, nullable=True),
    Column("paper_deadline", Date, nullable=True),
    Column("paper_submitted_at", UtcDateTime, nullable=True),
    Column("late_paper", Text, nullable=True),
    Column("chairs_requested_at", UtcDateTime, nullable=True),
    Column("chairs_requested_by", String(320), nullable=True),
    Column("chairs_reason", Text, nullable=True),
    Column("chairs_by", String(320), nullable=True),
    Column("chairs_at", UtcDateTime, nullable=True),
    Column("ratify_at", Date, nullable=True),
    Column("ratified_at", UtcDateTime, nullable=True),
    Column("ratify_minute_ref", String(200), nullable=True),
    Column("version", Integer, nullable=False, default=1, server_default="1"),
    Column("skipped_reason", Text, nullable=True),
)

# A committee deferred a paper from one meeting to the next (minuted).
deferrals = Table(
    "deferrals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("signoff_id", String(32), ForeignKey("signoffs.id"), nullable=False),
    Column("stage_id", String(120), nullable=False),
    Column("from_meeting", Date, nullable=False),
    Column("to_meeting", Date, nullable=False),
    Column("reason", Text, nullable=False, default=""),
    Column("minute_ref", String(200), nullable=False, default=""),
    Column("at", UtcDateTime, nullable=False),
    Index("ix_deferrals_stage", "signoff_id", "stage_id"),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("signoff_id", String(32), ForeignKey("signoffs.id"), nullable=False),
    Column("stage_id", String(120), nullable=False),
    Column("reviewer", String(320), nullable=False),
    Column("decision", String(16), nullable=False),
    Column("comment", Text, nullable=False, default=""),
    Column("at", UtcDateTime, nullable=False),
    Column("document_version", Integer, nullable=False),
    # A committee's outcome: the meeting (ISO date; '' for a review) and what the minutes say.
    Column("meeting_key", String(10), nullable=False, default="", server_default=""),
    Column("minute_ref", String(200), nullable=True),
    Column("amendments", Text, nullable=True),
    Column("quorate", Boolean, nullable=True),
    Column("interests", Text, nullable=True),
    Column("on_behalf_of", String(320), nullable=True),  # a deputy's decision: whose review it was
    UniqueConstraint(
        "signoff_id", "stage_id", "reviewer", "document_version", "meeting_key", name="uq_decisions_once"
    ),
)

action_tokens = Table(
    "action_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("signoff_id", String(32), ForeignKey("signoffs.id"), nullable=False),
    Column("stage_id", String(120), nullable=False),
    Column("reviewer", String(320), nullable=False),
    Column("document_version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
    Column("revoked_at", UtcDateTime, nullable=True),
    Column("replaced_at", UtcDateTime, nullable=True),  # a newer link (a reminder's) took its place
    Column("message_id", String(200), nullable=True),  # of the email that carried it
    # decide (a reviewer's or secretary's decision), ratify (a chair's action), paper (the lead's)
    Column("purpose", String(16), nullable=False, default="decide", server_default="decide"),
    Column("meeting", Date, nullable=True),  # a secretary's link: the meeting it records
    Index("ix_action_tokens_reviewer", "signoff_id", "stage_id", "reviewer"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("signoff_id", String(32), ForeignKey("signoffs.id"), nullable=True, index=True),
    Column("kind", String(40), nullable=False),
    Column("channel", String(16), nullable=False, default="email"),
    Column("recipient", String(2000), nullable=False),
    Column("context", Text, nullable=False),
    Column("message_id", String(200), nullable=False, unique=True),
    Column("token_nonce", String(64), nullable=True),
    Column("dedupe_key", String(300), nullable=True, unique=True),
    Column("state", String(16), nullable=False, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("claimed_until", UtcDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("refused", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime, nullable=True),
)

# Nudges queued for a stage (reminders, the escalation, the stall notice): the record that
# decides what is owed next and that the timeline lists; the outbox row does the sending.
reminders = Table(
    "reminders",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("signoff_id", String(32), ForeignKey("signoffs.id"), nullable=False),
    Column("stage_id", String(120), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("recipient", String(2000), nullable=False),
    Column("slot", Date, nullable=False),
    Column("manual", Boolean, nullable=False, default=False),
    Column("at", UtcDateTime, nullable=False),
    Column("outbox_id", Integer, ForeignKey("outbox.id"), nullable=True),
    Column("dedupe_key", String(300), nullable=False, unique=True),
    Index("ix_reminders_stage", "signoff_id", "stage_id"),
)
