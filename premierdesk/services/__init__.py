"""Premier services a named contact asks for: health checks and weekend standby, with their
calendar feeds (docs/product/services.md)."""
