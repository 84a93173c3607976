"""Ticket pages: the portal's opening form, drafts and list, the ticket page with the changes
posted from it, and the console queue."""

from django.urls import path

from premierdesk.tickets import downloads
from premierdesk.tickets.views import changes, console, page, portal

app_name = "tickets"
TICKET = "tickets/<str:key>/"
urlpatterns = [
    path("portal/tickets/", portal.my_tickets, name="mine"),
    path("portal/tickets/new/", portal.open_ticket, name="open"),
    path("portal/drafts/", portal.drafts, name="drafts"),
    path("console/tickets/", console.queue, name="queue"),
    path(TICKET, page.ticket_page, name="ticket"),
    path(f"{TICKET}comments/", changes.comment, name="comment"),
    path(f"{TICKET}comments/<int:comment_id>/", changes.edit_comment, name="edit-comment"),
    path(f"{TICKET}participants/", changes.add_participant, name="add-participant"),
    path(f"{TICKET}attachments/", changes.attach, name="attach"),
    path(f"{TICKET}attachments/<int:attachment_id>/", downloads.download, name="attachment"),
    path(f"{TICKET}status/", changes.transition, name="transition"),
    path(f"{TICKET}level/", changes.change_level, name="level"),
    path(f"{TICKET}owner/", changes.assign_owner, name="owner"),
    path(f"{TICKET}follow-the-sun/", changes.follow_the_sun, name="follow-the-sun"),
    path(f"{TICKET}calls/", changes.log_call, name="call"),
]
