"""Migrations of the calendars app (its tables came from sla: see 0001)."""
