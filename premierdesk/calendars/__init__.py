"""Calendars: coverage calendars (weekly spans, holidays, exceptions) and filling them."""
