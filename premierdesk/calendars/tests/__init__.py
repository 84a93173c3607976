"""The calendars app's tests: storage, invariants, imports, admin and the move from sla."""
