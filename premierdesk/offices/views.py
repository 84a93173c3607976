"""Pages for offices: they arrive with the issue that builds this area."""
