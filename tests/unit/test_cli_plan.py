"""``signoff plan``: the shipped example route's key dates checked to the day, and bad input refused.

The north example route, target Wed 31 March 2027, start Tue 1 December 2026. Non-working days on the
way: the route's closure Thu 24 December 2026; bank holidays Fri 25 and Mon 28 December 2026 (Boxing Day
falls on a Saturday), Fri 1 Jan, Good Friday 26 Mar and Easter Monday 29 Mar 2027.

Backward, from the target:
- board (meets 1st Thursday of odd months, 7 Jan cancelled, extra 25 Mar): latest meeting on or
  before 31 Mar is Thu 25 Mar; papers 10 working days before: 24,23,22,19,18,17,16,15,12,11 Mar
  -> Thu 11 Mar. start_by 2027-03-11, decide_by 2027-03-25.
- exec (2nd Tuesday) decided by 11 Mar: meeting Tue 9 Mar; papers 7 working days before:
  8,5,4,3,2,1 Mar, 26 Feb -> Fri 26 Feb. start_by 2027-02-26, decide_by 2027-03-09.
- legal (15) and finance (10) decided by 26 Feb: legal 15 working days back -> Fri 5 Feb,
  finance 10 back -> Fri 12 Feb; the group must start by 5 Feb.
- working-group (10) decided by 5 Feb: 4,3,2,1 Feb, 29,28,27,26,25,22 Jan -> Fri 22 Jan.
- vcse-leadership (10) decided by 22 Jan: 21..18, 15..11, 8 Jan -> Fri 8 Jan >= 1 Dec: feasible.

Forward, from 1 Dec 2026:
- vcse-leadership: 10 working days after 1 Dec -> Tue 15 Dec.
- working-group from 15 Dec: 16,17,18,21,22,23 Dec (24 closed, 25 and 28 bank holidays), 29,30,31
  Dec (1 Jan bank holiday), 4 Jan -> Mon 4 Jan.
- legal from 4 Jan: 15 working days -> Mon 25 Jan; finance 10 -> Mon 18 Jan; the group: 25 Jan.
- exec from 25 Jan: the 12 Jan meeting is past; Tue 9 Feb's papers are due Fri 29 Jan >= 25 Jan.
- board from 9 Feb: Thu 4 Mar, papers due Thu 18 Feb >= 9 Feb. Forecast 2027-03-04.
- slack: working days after 4 Mar up to 31 Mar: 5, 8-12, 15-19, 22-25, 30, 31 Mar = 17 -> green.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from governance.entrypoints.cli import app

ROOT = Path(__file__).resolve().parents[2]
ROUTE = "north-example-vcse-agreement"
EXAMPLE = ["plan", ROUTE, "--target", "2027-03-31", "--start", "2026-12-01"]
BAD_RRULE_ROUTE = """\
id: bad-rrule
name: Bad rrule
organisation: NHS Test ICB
calendars:
  exec:
    name: Exec
    meetings: {rrule: "FREQ=FORTNIGHTLY;BYDAY=TU", dtstart: 2026-01-01}
    paper_deadline_working_days: 7
stages:
  - {id: exec, name: Exec, kind: meeting, calendar: exec, secretary: [s@icb.example.nhs.uk]}
"""


@pytest.fixture
def cli(tmp_path: Path):
    """Run ``signoff`` with the shipped routes and a data directory of its own."""
    env = {"SIGNOFF_ROUTES_DIR": str(ROOT / "config" / "routes"), "SIGNOFF_DATA_DIR": str(tmp_path / "data")}

    def run(*args: str):
        return CliRunner(env=env).invoke(app, list(args))

    return run


def stage_dates(stage: dict[str, object]) -> tuple[object, ...]:
    keys = ("start_by", "decide_by", "meeting", "paper_deadline", "forecast_start", "forecast_decide")
    return tuple(stage[key] for key in keys)


def test_the_json_plan_of_the_example_route_matches_the_dates_worked_by_hand(cli) -> None:
    result = cli(*EXAMPLE, "--json")
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert {
        k: plan[k] for k in ("route", "target", "start", "feasible", "forecast", "slack_working_days", "rag")
    } == {
        "route": ROUTE,
        "target": "2027-03-31",
        "start": "2026-12-01",
        "feasible": True,
        "forecast": "2027-03-04",
        "slack_working_days": 17,
        "rag": "green",
    }
    assert {stage["id"]: (stage["kind"], *stage_dates(stage)) for stage in plan["stages"]} == {
        "vcse-leadership": ("review", "2027-01-08", "2027-01-22", None, None, "2026-12-01", "2026-12-15"),
        "working-group": ("review", "2027-01-22", "2027-02-05", None, None, "2026-12-15", "2027-01-04"),
        "legal": ("review", "2027-02-05", "2027-02-26", None, None, "2027-01-04", "2027-01-25"),
        "finance": ("review", "2027-02-12", "2027-02-26", None, None, "2027-01-04", "2027-01-18"),
        "exec": (
            "meeting",
            "2027-02-26",
            "2027-03-09",
            "2027-03-09",
            "2027-02-26",
            "2027-01-25",
            "2027-02-09",
        ),
        "board": (
            "meeting",
            "2027-03-11",
            "2027-03-25",
            "2027-03-25",
            "2027-03-11",
            "2027-02-09",
            "2027-03-04",
        ),
    }
    assert [stage["id"] for stage in plan["stages"]] == [
        "vcse-leadership",
        "working-group",
        "legal",
        "finance",
        "exec",
        "board",
    ]


def test_the_table_shows_every_stage_and_ends_with_a_summary_line(cli) -> None:
    result = cli(*EXAMPLE)
    assert result.exit_code == 0, result.stderr
    for stage_id in ("vcse-leadership", "working-group", "legal", "finance", "exec", "board"):
        assert stage_id in result.stdout
    assert "2027-03-25" in result.stdout
    assert result.stdout.splitlines()[-1] == (
        "feasible: yes; forecast: 2027-03-04; slack: 17 working days; RAG: green"
    )


def test_a_start_too_late_for_the_target_is_an_infeasible_plan_not_an_error(cli) -> None:
    result = cli("plan", ROUTE, "--target", "2027-03-31", "--start", "2027-02-01", "--json")
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["feasible"] is False
    assert "must start by 2027-01-08" in plan["reason"]
    assert plan["rag"] == "red"
    assert plan["slack_working_days"] < 0


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--target", "2026-11-30", "--start", "2026-12-01"], "before the start"),
        (["--target", "2027-02-30", "--start", "2026-12-01"], "--target '2027-02-30' is not a date"),
        (["--target", "2027-03-31", "--start", "tomorrow"], "--start 'tomorrow' is not a date"),
        (["--target", "31/03/2027"], "is not a date"),
    ],
)
def test_bad_dates_exit_2_with_one_line_and_no_traceback(cli, args: list[str], says: str) -> None:
    result = cli("plan", ROUTE, *args)
    assert_refused(result, says)


@pytest.mark.parametrize(
    ("route", "says"),
    [
        ("no-such-route", "no route file or route id 'no-such-route'"),
        (str(ROOT / "tests" / "fixtures" / "routes" / "many-problems.yaml"), "missing required key"),
        (str(ROOT / "tests" / "fixtures" / "routes" / "syntax-error.yaml"), "YAML syntax error"),
    ],
)
def test_an_unknown_or_invalid_route_exits_2_with_one_line(cli, route: str, says: str) -> None:
    assert_refused(cli("plan", route, "--target", "2027-03-31", "--start", "2026-12-01"), says)


def test_a_route_with_an_invalid_rrule_exits_2_with_one_line(cli, tmp_path: Path) -> None:
    route = tmp_path / "bad-rrule.yaml"
    route.write_text(BAD_RRULE_ROUTE)
    assert_refused(
        cli("plan", str(route), "--target", "2027-03-31", "--start", "2026-12-01"), "invalid rrule"
    )


def test_a_target_too_far_ahead_to_count_to_exits_2(cli) -> None:
    assert_refused(cli("plan", ROUTE, "--target", "9999-12-31", "--start", "9999-01-01"), "that far ahead")


def assert_refused(result, says: str) -> None:
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    assert isinstance(result.exception, SystemExit)


def test_ics_writes_one_event_per_paper_deadline_meeting_and_review_decide_by(cli, tmp_path: Path) -> None:
    path = tmp_path / "key-dates.ics"
    result = cli(*EXAMPLE, "--json", "--ics", str(path))
    assert result.exit_code == 0, result.stderr
    events = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    # four reviews (decide by) + two committees (paper deadline and meeting)
    assert len(events) == 4 + 2 * 2
    assert result.stderr.strip() == f"Wrote 8 key dates to {path} (import it into Outlook or any calendar)."
    assert json.loads(result.stdout)["target"] == "2027-03-31"
    assert {event.decoded("dtstart").isoformat() for event in events} == {
        "2027-01-22",
        "2027-02-05",
        "2027-02-26",
        "2027-03-09",
        "2027-03-11",
        "2027-03-25",
    }


def test_ics_to_a_folder_that_does_not_exist_exits_2(cli, tmp_path: Path) -> None:
    result = cli(*EXAMPLE, "--ics", str(tmp_path / "missing" / "key-dates.ics"))
    assert_refused(result, "cannot write it")


def test_plan_and_the_planning_figure_never_import_prefect() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from governance.entrypoints.cli import app\n"
        f"r = CliRunner().invoke(app, {[*EXAMPLE, '--json']!r})\n"
        "assert r.exit_code == 0, r.output\n"
        "r = CliRunner().invoke(app, ['bench', 'P5', '--json'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'prefect'))\n"
    )
    env = {"SIGNOFF_ROUTES_DIR": str(ROOT / "config" / "routes"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
