"""Catalog: the products support covers and the offerings (Premier, Select) sold for them."""

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "premierdesk.catalog"
    label = "catalog"
    verbose_name = "Products and offerings"
