"""Where the areas above customers act on its changes without customers importing them
(``lib.hooks``; docs/architecture.md lists them all).

Sent by ``customers.actions``, inside the change's transaction:

- ``organization_onboarded(organization, actor)``: a new customer organization was saved.
  spaces gives it its space with the "How do I" page (``spaces.actions.create_space``).
"""

from __future__ import annotations

from premierdesk.accounts.models import User
from premierdesk.customers.models import Organization
from premierdesk.lib.hooks import Hook

organization_onboarded: Hook[[Organization, User]] = Hook("customers.organization_onboarded")
