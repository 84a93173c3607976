"""Customer spaces: each organization's pages, written by staff in Markdown, read by its contacts
(SPEC §7)."""
