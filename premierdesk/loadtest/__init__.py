"""The load test: Locust with the JSM toolkit's mix against running servers (tooling)."""
