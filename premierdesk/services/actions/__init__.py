"""Every change to a Premier service, one module per service as the pages are split:
``standby`` (weekend standby), ``health_checks`` and ``feeds`` (calendar-feed tokens). Callers
import the module they change."""
