"""State changes for offices. Configuration edits made in the admin are saved (and audited) by
premierdesk.audit.actions.save_configuration; domain actions join here as they arrive."""
