"""The FastAPI app: reviewers' action links, the lead's timeline pages, the dev mailbox, a JSON API."""

from governance.entrypoints.web.app import create_app

__all__ = ["create_app"]
