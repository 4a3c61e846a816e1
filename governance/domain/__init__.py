"""The pure core: route model, approval rules, working days, planning, the sign-off state machine.

Imports nothing but the standard library (and dateutil's rrule for committee calendars).
"""
