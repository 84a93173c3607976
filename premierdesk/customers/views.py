"""Pages for customers: they arrive with the issue that builds this area."""
