"""Pages for catalog: they arrive with the issue that builds this area."""
