"""Getting more help on a ticket: escalation managers, manager callbacks and priority developer
assistance (docs/product/services.md)."""
