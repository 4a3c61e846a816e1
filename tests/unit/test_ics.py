"""Key dates as an iCalendar file: one all-day event per paper deadline, meeting and decide-by date."""

from datetime import UTC, date, datetime

from icalendar import Calendar as ICalendar

from governance.adapters.bank_holidays import bank_holidays
from governance.adapters.calendar_files import PRODID, CalendarNotes, key_dates_calendar
from governance.domain.planning import Plan, plan_route
from governance.domain.route import ApprovalRule, Calendar, Route, RuleKind, Stage, StageKind
from governance.domain.workdays import WorkingDays

STAMP = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
COMMITTEE = Calendar("finance", "Finance Committee", 7, "FREQ=MONTHLY;BYDAY=+2TU", date(2026, 1, 1))


def review(stage_id: str, days: int) -> Stage:
    return Stage(
        stage_id, stage_id.title(), StageKind.REVIEW, ("r@nhs.net",), ApprovalRule(RuleKind.ALL), days
    )


COMMITTEE_STAGE = Stage(
    "committee", "Committee", StageKind.MEETING, ("s@nhs.net",), ApprovalRule(RuleKind.ANY), None, "finance"
)
ROUTE = Route(
    "policy",
    "Policy",
    "ICB",
    (review("author", 5), COMMITTEE_STAGE, review("chair", 3)),
    {"finance": COMMITTEE},
)


def a_plan(target: date = date(2027, 4, 30)) -> Plan:
    workdays = WorkingDays.of(bank_holidays(2025, 2029))
    return plan_route(ROUTE, target=target, start=date(2025, 12, 1), workdays=workdays)


def events(ics: bytes) -> dict[str, date]:
    parsed = ICalendar.from_ical(ics)
    return {str(event["SUMMARY"]): event.decoded("DTSTART") for event in parsed.walk("VEVENT")}


def test_each_key_date_is_one_all_day_event_named_by_stage_and_what_it_is() -> None:
    ics = key_dates_calendar(a_plan(), title="Estates strategy", stamp=STAMP)
    assert events(ics) == {
        "Estates strategy: Author – decide by": date(2027, 4, 2),
        "Estates strategy: Committee – paper deadline": date(2027, 4, 2),
        "Estates strategy: Committee – latest meeting that still makes the target": date(2027, 4, 13),
        "Estates strategy: Chair – decide by": date(2027, 4, 30),
    }


def test_events_last_one_whole_day() -> None:
    parsed = ICalendar.from_ical(key_dates_calendar(a_plan(), title="Estates strategy", stamp=STAMP))
    for event in parsed.walk("VEVENT"):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert not isinstance(start, datetime)
        assert (end - start).days == 1


def test_the_calendar_names_its_producer() -> None:
    parsed = ICalendar.from_ical(key_dates_calendar(a_plan(), title="Estates strategy", stamp=STAMP))
    assert str(parsed["PRODID"]) == PRODID
    assert str(parsed["VERSION"]) == "2.0"


def test_uids_are_unique_and_stable_when_the_dates_move() -> None:
    first = ICalendar.from_ical(key_dates_calendar(a_plan(), title="Estates strategy", stamp=STAMP))
    later = ICalendar.from_ical(key_dates_calendar(a_plan(date(2027, 6, 30)), title="Estates strategy"))
    uids = [str(event["UID"]) for event in first.walk("VEVENT")]
    assert len(set(uids)) == len(uids) == 4
    assert uids == [str(event["UID"]) for event in later.walk("VEVENT")]


def test_different_documents_on_one_route_get_different_uids() -> None:
    one = ICalendar.from_ical(key_dates_calendar(a_plan(), title="Estates strategy", stamp=STAMP))
    two = ICalendar.from_ical(key_dates_calendar(a_plan(), title="Digital strategy", stamp=STAMP))
    assert {str(e["UID"]) for e in one.walk("VEVENT")}.isdisjoint(str(e["UID"]) for e in two.walk("VEVENT"))


def test_the_same_plan_and_stamp_give_the_same_bytes() -> None:
    assert key_dates_calendar(a_plan(), title="T", stamp=STAMP) == key_dates_calendar(
        a_plan(), title="T", stamp=STAMP
    )


def test_stages_that_could_not_be_planned_have_no_events() -> None:
    ics = key_dates_calendar(a_plan(date(2026, 1, 12)), title="Early", stamp=STAMP)
    assert events(ics) == {"Early: Chair – decide by": date(2026, 1, 12)}


def test_a_booked_meeting_with_a_time_is_a_timed_event_in_london_time_with_its_vtimezone() -> None:
    from datetime import time
    from zoneinfo import ZoneInfo

    booked = {"committee": (date(2027, 5, 11), date(2027, 4, 30))}
    ics = key_dates_calendar(
        a_plan(), title="Estates strategy", stamp=STAMP, booked=booked, times={"committee": time(14, 0)}
    )
    found = events(ics)
    assert found["Estates strategy: Committee – paper deadline"] == date(2027, 4, 30)
    meeting = found["Estates strategy: Committee – meeting"]
    assert meeting == datetime(2027, 5, 11, 14, 0, tzinfo=ZoneInfo("Europe/London"))
    assert [str(zone["TZID"]) for zone in ICalendar.from_ical(ics).walk("VTIMEZONE")] == ["Europe/London"]
    assert b"DTSTART;TZID=Europe/London:20270511T140000" in ics


def descriptions(ics: bytes) -> dict[str, str]:
    parsed = ICalendar.from_ical(ics)
    return {
        str(event["SUMMARY"]).split(": ", 1)[1]: str(event["DESCRIPTION"]) for event in parsed.walk("VEVENT")
    }


def test_each_event_says_what_is_due_that_it_is_the_latest_date_for_the_target_and_the_forecast() -> None:
    said = descriptions(key_dates_calendar(a_plan(), title="Estates strategy", stamp=STAMP))
    assert said["Author – decide by"].startswith(
        "Author: the decision is due by Fri 2 April 2027. "
        "This is the latest date that still makes the target of Fri 30 April 2027."
    )
    assert "Forecast: Mon 8 December 2025." in said["Author – decide by"]
    assert (
        said["Committee – paper deadline"]
        == "Committee: the paper is due with the secretary by Fri 2 April 2027."
    )
    assert (
        "is the latest that still makes the target"
        in said["Committee – latest meeting that still makes the target"]
    )


def test_a_booked_meeting_is_called_the_meeting_and_keeps_the_uid_of_the_latest_meeting() -> None:
    booked = {"committee": (date(2027, 3, 9), date(2027, 2, 26))}
    planned = ICalendar.from_ical(key_dates_calendar(a_plan(), title="E", stamp=STAMP))
    running = ICalendar.from_ical(key_dates_calendar(a_plan(), title="E", stamp=STAMP, booked=booked))
    meeting = next(e for e in running.walk("VEVENT") if "meeting" in str(e["SUMMARY"]))
    assert str(meeting["SUMMARY"]) == "E: Committee – meeting"
    assert "booked on the meeting of Tue 9 March 2027" in str(meeting["DESCRIPTION"])
    assert [str(e["UID"]) for e in planned.walk("VEVENT")] == [str(e["UID"]) for e in running.walk("VEVENT")]


def test_every_event_links_to_the_timeline_in_its_url_and_its_description() -> None:
    link = "https://signoff.example.nhs.uk/signoffs/abc123"
    parsed = ICalendar.from_ical(
        key_dates_calendar(a_plan(), title="E", stamp=STAMP, notes=CalendarNotes(link=link))
    )
    for event in parsed.walk("VEVENT"):
        assert str(event["URL"]) == link
        assert str(event["DESCRIPTION"]).endswith(f"Timeline: {link}")


def test_an_ended_signoff_cancels_every_event_under_the_same_uids() -> None:
    live = ICalendar.from_ical(key_dates_calendar(a_plan(), title="E", stamp=STAMP))
    ended = ICalendar.from_ical(
        key_dates_calendar(a_plan(), title="E", stamp=STAMP, notes=CalendarNotes(ended="approved"))
    )
    assert [str(e["UID"]) for e in live.walk("VEVENT")] == [str(e["UID"]) for e in ended.walk("VEVENT")]
    assert {str(e["STATUS"]) for e in ended.walk("VEVENT")} == {"CANCELLED"}
    assert all(int(e["SEQUENCE"]) == 1 for e in ended.walk("VEVENT"))
    assert all(
        str(e["DESCRIPTION"]).startswith("This sign-off has ended (approved)") for e in ended.walk("VEVENT")
    )
    assert all("STATUS" not in e for e in live.walk("VEVENT"))
