"""Admin for customer spaces: read-only, because pages change only through the audited
actions (a new version each time), never by editing rows."""

from django.contrib import admin

from premierdesk.audit.admin import ReadOnlyModelAdmin
from premierdesk.spaces.models import Page, PageVersion


@admin.register(Page)
class PageAdmin(ReadOnlyModelAdmin[Page]):
    list_display = ["title", "organization", "kind", "version", "updated_at", "updated_by"]
    list_filter = ["kind"]
    search_fields = ["title", "slug", "organization__name"]


@admin.register(PageVersion)
class PageVersionAdmin(ReadOnlyModelAdmin[PageVersion]):
    list_display = ["page", "number", "title", "author", "written_at"]
    search_fields = ["page__title", "title"]
