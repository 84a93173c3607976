"""Services pages: calendar feeds and the feed-token page (``feeds``), weekend standby in the
portal and the console (``standby``), and health checks (``health_checks``)."""
