"""SLA has no pages of its own: its attainment page is a report (``reports.views``), and a
ticket's clocks are the ticket page's SLA panel (``display.py``)."""
