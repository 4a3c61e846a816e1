"""The JSON API, the health check and a sign-off's Prefect flow runs."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from fastapi import APIRouter
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from governance.entrypoints.prefect_links import addresses, prefect_addresses
from governance.entrypoints.status_json import lines_to_json, status_to_json
from governance.entrypoints.web.rendering import (
    SIGNED_IN,
    VIEW,
    Web,
    WebDep,
    no_such_signoff,
    page_router,
    visible_or_404,
)
from governance.services.ports import SignOffNotFound
from governance.services.status import SignOffStatus, all_signoffs, signoff_status

log = logging.getLogger("signoff.web")
router = APIRouter()  # JSON: the health check and the API
pages = page_router()  # HTML: a sign-off's flow runs (the dashboard is in dashboard.py)
PREFECT_TIMEOUT_SECONDS = 5.0


@router.get("/healthz")
def healthz(web: WebDep) -> JSONResponse:
    """Liveness and database reachability, for monitors and ``signoff serve``."""
    try:
        web.db.ping()
    except Exception:
        log.exception("health check: the database did not answer")
        return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})


@pages.api_route("/", methods=VIEW)
def home() -> RedirectResponse:
    return RedirectResponse("/signoffs", status_code=303)


@router.get("/api/signoffs")
def api_signoffs(web: WebDep) -> list[dict[str, Any]]:
    return lines_to_json(all_signoffs(web.db, seen_by=SIGNED_IN.get()))


@router.get("/api/signoffs/{signoff_id}")
def api_signoff(signoff_id: str, web: WebDep) -> dict[str, Any]:
    return status_to_json(status_or_404(web, signoff_id), prefect=addresses(web.settings))


@pages.api_route("/signoffs/{signoff_id}/runs", methods=VIEW)
def flow_runs(signoff_id: str, web: WebDep) -> HTMLResponse:
    """The sign-off's Prefect flow runs, read from the Prefect REST API (no prefect import here)."""
    status = status_or_404(web, signoff_id)
    api, ui = prefect_addresses(web.settings)
    runs: list[FlowRun] = []
    problem = ""
    if api is None:
        problem = "No Prefect server address is recorded for this installation (signoff serve records one)."
    else:
        try:
            runs = fetch_runs(api, ui or "", signoff_id)
        except PrefectUnavailableError as unavailable:
            problem = str(unavailable)
    return web.page(
        "runs.html",
        status=status,
        runs=runs,
        problem=problem,
        api=api,
        ui=ui,
        organisation=status.organisation,
    )


@pages.api_route("/signoffs/{signoff_id}/prefect", methods=VIEW)
def prefect_story(signoff_id: str, web: WebDep) -> RedirectResponse:
    """The sign-off's flow run in the Prefect UI, or its list of runs while Prefect has not been told."""
    status = status_or_404(web, signoff_id)
    page = addresses(web.settings).flow_run_page(status.prefect_flow_run_id)
    return RedirectResponse(page or f"/signoffs/{signoff_id}/runs", status_code=303)


def status_or_404(web: Web, signoff_id: str) -> SignOffStatus:
    try:
        status = signoff_status(web.db, signoff_id)
    except SignOffNotFound:
        raise no_such_signoff(signoff_id) from None
    visible_or_404(signoff_id, organisation=status.organisation, lead=status.lead)
    return status


@dataclass(frozen=True)
class FlowRun:
    id: str
    name: str
    state: str
    started: datetime | None
    url: str


class PrefectUnavailableError(Exception):
    """Prefect's API did not answer usefully; the message says so for the page."""


def fetch_runs(api: str, ui: str, signoff_id: str) -> list[FlowRun]:
    """Flow runs tagged ``signoff:<id>``, newest first."""
    tags = {"all_": [f"signoff:{signoff_id}"]}
    query = {"flow_runs": {"tags": tags}, "sort": "START_TIME_DESC", "limit": 100}
    try:
        response = httpx.post(f"{api}/flow_runs/filter", json=query, timeout=PREFECT_TIMEOUT_SECONDS)
        response.raise_for_status()
        found = response.json()
        return [flow_run(run, ui) for run in found]
    except httpx.HTTPError as error:
        msg = f"Prefect is not reachable at {api} ({type(error).__name__}: {error})."
        raise PrefectUnavailableError(msg) from error
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        msg = f"Prefect at {api} answered with something other than a list of flow runs ({error})."
        raise PrefectUnavailableError(msg) from error


def flow_run(run: dict[str, Any], ui: str) -> FlowRun:
    state = run.get("state_name") or (run.get("state") or {}).get("name") or "Unknown"
    started = run.get("start_time") or run.get("expected_start_time")
    return FlowRun(
        id=str(run["id"]),
        name=str(run.get("name", "")),
        state=str(state),
        started=datetime.fromisoformat(started) if started else None,
        url=f"{ui}/runs/flow-run/{run['id']}",
    )
