"""Pages: what every page stands on (layout, assets, form pieces, shared partials, the
request middleware), below every area's pages and above nothing but the API toolkit."""

from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "premierdesk.pages"
    label = "pages"
    verbose_name = "Page base"
