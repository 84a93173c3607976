"""The REST API at /api/v1/: one NinjaAPI that mounts each app's router."""

from __future__ import annotations

from premierdesk.accounts.api import router as accounts_router
from premierdesk.accounts.api_auth import API_AUTH
from premierdesk.audit.api import router as audit_router
from premierdesk.customers.api import router as customers_router
from premierdesk.escalations.api import router as escalations_router
from premierdesk.feedback.api import router as feedback_router
from premierdesk.offices.api import router as offices_router
from premierdesk.reports.api import router as reports_router
from premierdesk.restapi.errors import install_error_handlers
from premierdesk.restapi.openapi import DocumentedAPI
from premierdesk.services.api import router as services_router
from premierdesk.sla.api import router as sla_router
from premierdesk.spaces.api import router as spaces_router
from premierdesk.tickets.api import router as tickets_router

api = DocumentedAPI(
    title="Premier Desk API",
    version="1",
    description=(
        "Premier Support: tickets, response targets, follow-the-sun handovers.\n\n"
        "Authenticate with `Authorization: Bearer <token>`; `POST /api/v1/auth/token` exchanges "
        "an e-mail and password for a personal token. Every error has the same body: "
        '`{"type", "title", "status", "detail", "errors": [{"field", "message"}]}`. Lists are '
        "paginated with `?page=` and `?page_size=` and answer "
        '`{"items", "count", "page", "pages", "next", "previous"}`.'
    ),
    auth=API_AUTH,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("/", accounts_router)
api.add_router("/", audit_router)
api.add_router("/", customers_router)
api.add_router("/", tickets_router)
api.add_router("/", sla_router)
api.add_router("/", offices_router)
api.add_router("/", spaces_router)
api.add_router("/", services_router)
api.add_router("/", escalations_router)
api.add_router("/", feedback_router)
api.add_router("/", reports_router)
