"""Reports (docs/product/surveys-and-reports.md#reports): figures by office, product, organization
and month, as charts and CSV."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "premierdesk.reports"
    label = "reports"
    verbose_name = "Reports"
