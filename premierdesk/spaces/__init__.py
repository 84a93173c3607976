"""Customer spaces: each organization's pages, written by staff in Markdown, read by its contacts
(docs/product/services.md#customer-spaces)."""
