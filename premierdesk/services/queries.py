"""Reading Premier services: who sees which standby requests and health checks, the license
and product a request is for, the engineers who can take one, and whose a feed token is.

Who reads what is ``services.rules`` (docs/access.md): every page, API endpoint and feed reads
through here.
"""

from __future__ import annotations

from django.db.models import QuerySet

from premierdesk.accounts.models import Role, User
from premierdesk.accounts.queries import token_digest
from premierdesk.catalog.models import OfferingSlug, Product
from premierdesk.customers.models import License
from premierdesk.customers.queries import find_license, unknown_sen
from premierdesk.lib.errors import Conflict, InvalidInput, NotAllowed, NotFound
from premierdesk.offices.models import Engineer
from premierdesk.services.models import FeedToken, HealthCheck, StandbyRequest
from premierdesk.services.rules import services_scope

STANDBY_RELATIONS = (
    "organization",
    "license",
    "product",
    "requested_by",
    "engineer__user",
    "engineer__office",
    "decided_by",
)


def visible_standby(user: User) -> QuerySet[StandbyRequest]:
    requests = StandbyRequest.objects.select_related(*STANDBY_RELATIONS).order_by("starts_at", "pk")
    return requests.filter(services_scope(user))


HEALTH_CHECK_RELATIONS = (
    "organization",
    "license",
    "product",
    "requested_by",
    "engineer__user",
    "engineer__office",
)


def visible_health_checks(user: User) -> QuerySet[HealthCheck]:
    checks = HealthCheck.objects.select_related(*HEALTH_CHECK_RELATIONS).order_by(
        "-requested_at", "-pk"
    )
    return checks.filter(services_scope(user))


def service_license(actor: User, sen: str, what: str) -> License:
    """The Premier license ``sen`` of the actor's own organization; ``what`` names the
    service in refusals. Another organization's SEN answers like an unknown one."""
    if not actor.is_customer:
        raise NotAllowed(f"{what} is asked for by the customer's named contacts.")
    license = find_license(sen)
    if license.organization_id != actor.organization_id:
        raise unknown_sen(sen)
    if license.offering.slug != OfferingSlug.PREMIER:
        raise Conflict.on_field(
            "sen", f"{license.sen} is a {license.offering.name} license; {what} is Premier only."
        )
    return license


def licensed_product(license: License, slug: str) -> Product:
    product = Product.objects.filter(slug=slug.strip().lower()).first()
    if product is None:
        raise InvalidInput.on_field(
            "product", f"There is no product {slug!r}; choose one of the listed products."
        )
    if not product.covered or not license.products.filter(pk=product.pk).exists():
        raise Conflict.on_field(
            "product",
            f"{license.sen} does not cover {product.name}; choose a product of your license.",
        )
    return product


def skilled_engineer(email: str, product: Product) -> Engineer:
    """The engineer with this e-mail, locked (two managers assigning the same engineer at
    once are serialised), refused unless skilled in the product."""
    engineers = Engineer.objects.select_for_update(of=("self",)).select_related("user", "office")
    engineer = engineers.filter(user__email=email.strip().lower(), user__is_active=True).first()
    if engineer is None:
        raise InvalidInput.on_field("engineer", f"No support engineer has the e-mail {email}.")
    if not engineer.skills.filter(pk=product.pk).exists():
        raise Conflict.on_field(
            "engineer",
            f"{engineer.user.full_name} is not skilled in {product.name}; choose an engineer "
            "who is.",
        )
    return engineer


def support_managers() -> list[str]:
    managers = User.objects.filter(role=Role.SUPPORT_MANAGER, is_active=True)
    return list(managers.values_list("email", flat=True))


def readable_standby(actor: User, standby_id: int) -> StandbyRequest:
    """The request if ``actor`` may see it: staff all, a customer their organization's.
    Anything else answers like a request that does not exist."""
    found = visible_standby(actor).filter(pk=standby_id).first()
    if found is None:
        raise NotFound(f"There is no standby request {standby_id}.")
    return found


FEED_TOKEN_PREFIX = "pdcal_"  # noqa: S105 - the public start of every feed token, not a secret


def user_for_feed_token(secret: str) -> User | None:
    """The active account a feed token belongs to, or None."""
    if not secret.startswith(FEED_TOKEN_PREFIX):
        return None
    token = (
        FeedToken.objects.select_related("user")
        .filter(token_hash=token_digest(secret), user__is_active=True)
        .first()
    )
    return token.user if token else None


def readable_health_check(actor: User, check_id: int) -> HealthCheck:
    """Staff see every health check, a customer their organization's; anything else answers
    like one that does not exist."""
    found = visible_health_checks(actor).filter(pk=check_id).first()
    if found is None:
        raise NotFound(f"There is no health check {check_id}.")
    return found
