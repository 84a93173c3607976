"""No API endpoints for notifications yet: the outbox is read in the admin."""
