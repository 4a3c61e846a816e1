"""The wiring: settings are built once and frozen, secrets stay secret, flow runs are told their runtime."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from pydantic import ValidationError

from flows.runtime import NoRuntimeBound, Runtime, current, running
from governance.entrypoints.composition.flow_runtime import (
    child_process_environment,
    mail_transport,
    runtime_from_environment,
)
from governance.entrypoints.composition.serving import settings_for_server
from governance.settings import Settings

SECRETS = {"secret_key": "link-signing-secret", "smtp_password": "relay-password"}


def make_settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(data_dir=tmp_path / "data", **values)  # type: ignore[arg-type]


def test_settings_cannot_be_changed_after_start_up(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    with pytest.raises(ValidationError, match="frozen"):
        settings.base_url = "http://elsewhere.example"  # type: ignore[misc]


def test_secrets_are_hidden_in_every_printed_or_dumped_form(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, smtp_host="relay.example.nhs.uk", **SECRETS)
    shown = [repr(settings), str(settings), str(settings.model_dump()), settings.model_dump_json()]
    for secret in SECRETS.values():
        assert not any(secret in text for text in shown)
    assert settings.signing_key() == b"link-signing-secret"
    assert mail_transport(settings) is not None
    assert mail_transport(settings).password == "relay-password"  # type: ignore[union-attr]


def test_the_server_points_links_at_itself_unless_a_base_url_is_configured(tmp_path: Path) -> None:
    derived = settings_for_server(make_settings(tmp_path), host="127.0.0.1", port=8123)
    configured = make_settings(tmp_path, base_url="https://signoff.icb.example.nhs.uk")
    assert derived.base_url == "http://127.0.0.1:8123"
    assert settings_for_server(configured, host="127.0.0.1", port=8123) is configured


def test_a_flow_run_subprocess_is_told_only_the_start_up_values_and_no_secret(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, base_url="http://127.0.0.1:8123", smtp_host="relay", **SECRETS)
    told = child_process_environment(settings)
    assert told == {
        "SIGNOFF_BASE_URL": "http://127.0.0.1:8123",
        "SIGNOFF_DATA_DIR": str((tmp_path / "data").resolve()),
    }
    assert not any(secret in value for secret in SECRETS.values() for value in told.values())


def test_a_worker_builds_its_runtime_from_the_environment_it_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIGNOFF_DATA_DIR", str(tmp_path / "worker"))
    monkeypatch.setenv("SIGNOFF_BASE_URL", "http://127.0.0.1:8123")
    monkeypatch.setenv("SIGNOFF_SMTP_HOST", "relay.example.nhs.uk")
    monkeypatch.setenv("SIGNOFF_SMTP_PASSWORD", "relay-password")
    with runtime_from_environment() as runtime:
        assert runtime.settings.base_url == "http://127.0.0.1:8123"
        assert runtime.db.url == f"sqlite:///{(tmp_path / 'worker').resolve() / 'signoff.db'}"
        assert runtime.smtp is not None
        assert (runtime.smtp.host, runtime.smtp.password) == ("relay.example.nhs.uk", "relay-password")


def test_a_worker_with_no_smtp_server_only_queues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIGNOFF_DATA_DIR", str(tmp_path / "worker"))
    monkeypatch.delenv("SIGNOFF_SMTP_HOST", raising=False)
    with runtime_from_environment() as runtime:
        assert runtime.smtp is None


def test_a_flow_step_outside_a_bound_runtime_says_what_is_missing() -> None:
    with pytest.raises(NoRuntimeBound, match="running"):
        current()


def test_a_bound_runtime_holds_for_its_block_only_and_only_in_its_own_thread(tmp_path: Path) -> None:
    outer = Runtime(make_settings(tmp_path), None, None)  # type: ignore[arg-type]
    inner = Runtime(make_settings(tmp_path, mail_from="x@example.org"), None, None)  # type: ignore[arg-type]
    seen_elsewhere: list[BaseException] = []

    def look_from_another_thread() -> None:
        try:
            current()
        except NoRuntimeBound as error:
            seen_elsewhere.append(error)

    with running(outer):
        with running(inner):
            assert current() is inner
        assert current() is outer
        thread = threading.Thread(target=look_from_another_thread)
        thread.start()
        thread.join()
    assert len(seen_elsewhere) == 1
    with pytest.raises(NoRuntimeBound):
        current()


def test_the_mail_transport_never_prints_its_password(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, smtp_host="relay.example.nhs.uk", smtp_user="signoff", **SECRETS)
    assert "relay-password" not in repr(mail_transport(settings))


def test_serve_adds_only_the_start_up_values_to_the_environment_its_scheduled_runs_inherit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contextlib import ExitStack

    from governance.entrypoints.composition import serving

    for name in ("SIGNOFF_BASE_URL", "SIGNOFF_DATA_DIR", "SIGNOFF_SECRET_KEY", "SIGNOFF_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)  # and restored afterwards, whatever serve sets
    started: list[float] = []
    monkeypatch.setattr(
        serving, "start_scheduled_jobs", lambda _s, _w, *, interval_seconds: started.append(interval_seconds)
    )
    before = dict(os.environ)
    settings = make_settings(tmp_path, base_url="http://127.0.0.1:8123", smtp_host="relay", **SECRETS)
    with ExitStack() as stack:
        serving._start_scheduled_jobs(settings, stack)
    added = {name: value for name, value in os.environ.items() if before.get(name) != value}
    assert added == child_process_environment(settings)
    assert started == [settings.watch_interval_seconds]
