"""Named-contact pages: the portal's license pages and the console's approval queue."""

from django.urls import path

from premierdesk.customers import views

app_name = "customers"
LICENSE = "portal/licenses/<str:sen>/named-contacts/"
urlpatterns = [
    path("portal/licenses/", views.licenses, name="licenses"),
    path(LICENSE, views.named_contacts, name="named-contacts"),
    path(f"{LICENSE}add/", views.add, name="add"),
    path(f"{LICENSE}cover/", views.cover, name="cover"),
    path(f"{LICENSE}<int:window_id>/remove/", views.remove, name="remove"),
    path("console/named-contacts/", views.approvals, name="approvals"),
    path("console/named-contacts/<int:change_id>/approve/", views.approve, name="approve"),
    path("console/named-contacts/<int:change_id>/decline/", views.decline, name="decline"),
]
