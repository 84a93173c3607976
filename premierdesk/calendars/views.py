"""Pages for calendars: none of their own; calendars are edited in the admin."""
