"""Admin for products and offerings (configuration data, audited)."""

from django.contrib import admin

from premierdesk.audit.admin import AuditedModelAdmin
from premierdesk.catalog.models import Offering, Product, ResponseTarget


@admin.register(Product)
class ProductAdmin(AuditedModelAdmin[Product]):
    list_display = ["name", "slug", "covered", "weekend_class"]
    list_filter = ["covered", "weekend_class"]
    prepopulated_fields = {"slug": ["name"]}


class ResponseTargetInline(admin.TabularInline[ResponseTarget, Offering]):
    model = ResponseTarget
    extra = 0


@admin.register(Offering)
class OfferingAdmin(AuditedModelAdmin[Offering]):
    list_display = ["name", "slug", "named_contact_slots"]
    inlines = [ResponseTargetInline]
