"""Where the Prefect API and UI are, and the address of a sign-off's story flow run in the UI."""

from __future__ import annotations

import os
from dataclasses import dataclass

from governance.adapters.runtime_file import read_runtime
from governance.settings import Settings


@dataclass(frozen=True)
class PrefectAddresses:
    api_url: str | None  # the API root, as in PREFECT_API_URL
    ui_url: str | None  # the UI's root

    def flow_run_page(self, flow_run_id: str | None) -> str | None:
        """The UI's page of a flow run, when both are known."""
        if self.ui_url is None or flow_run_id is None:
            return None
        return f"{self.ui_url}/runs/flow-run/{flow_run_id}"


def prefect_addresses(settings: Settings) -> tuple[str | None, str | None]:
    """The Prefect API and UI addresses ``signoff serve`` recorded, else from the environment."""
    facts = read_runtime(settings.data_dir)
    api = facts.get("prefect_api_url") or os.environ.get("PREFECT_API_URL")
    ui = facts.get("prefect_ui_url") or os.environ.get("PREFECT_UI_URL")
    if api and not ui:
        ui = str(api).rstrip("/").removesuffix("/api")
    return (str(api).rstrip("/") if api else None), (str(ui).rstrip("/") if ui else None)


def addresses(settings: Settings) -> PrefectAddresses:
    """The addresses as one value, for the status JSON and the pages."""
    return PrefectAddresses(*prefect_addresses(settings))
