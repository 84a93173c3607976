"""Ticket pages: the portal's opening form, drafts and list (``portal``), the ticket page
(``page``) and the changes posted from it (``changes``), and the console queue (``console``)."""
