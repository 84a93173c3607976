"""API for calendars: none of its own; the apps reading calendars (SLA, offices) answer for them."""
