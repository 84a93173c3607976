"""The admin site's branding."""

from django.contrib import admin

admin.site.site_header = "Premier Desk administration"
admin.site.site_title = "Premier Desk"
admin.site.index_title = "Products, offerings, offices, customers and policies"
