"""API: exchange credentials for a token, see yourself, list and revoke your tokens."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from premierdesk.accounts import actions
from premierdesk.accounts.access import current_user
from premierdesk.accounts.models import ApiToken
from premierdesk.restapi.errors import Problem
from premierdesk.restapi.pagination import PagePagination

router = Router(tags=["accounts"])


class TokenRequest(Schema):
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=1024)
    name: str = Field("API", max_length=100, description="Where the token will be used.")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    token: str = Field(description="The secret token. Shown only now: store it safely.")


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    time_zone: str
    role: str
    organization: str | None


@router.post(
    "/auth/token",
    auth=None,
    response={201: NewTokenOut, 401: Problem, 429: Problem},
    summary="Exchange e-mail and password for a personal API token",
)
def create_token(request: HttpRequest, payload: TokenRequest) -> Status[NewTokenOut]:
    user = actions.sign_in(request, payload.email, payload.password)
    token, secret = actions.create_api_token(user, payload.name)
    return Status(201, NewTokenOut(**TokenOut.from_orm(token).dict(), token=secret))


@router.get("/auth/me", response=MeOut, summary="The account making this request")
def me(request: HttpRequest) -> MeOut:
    user = current_user(request)
    return MeOut(
        id=user.pk,
        email=user.email,
        full_name=user.full_name,
        time_zone=user.time_zone,
        role=user.role,
        organization=user.organization.name if user.organization else None,
    )


@router.get("/auth/tokens", response=list[TokenOut], summary="Your API tokens")
@paginate(PagePagination)
def list_tokens(request: HttpRequest) -> object:
    return ApiToken.objects.filter(user=current_user(request))


@router.delete(
    "/auth/tokens/{token_id}",
    response={200: TokenOut, 404: Problem},
    summary="Revoke one of your API tokens",
)
def revoke_token(request: HttpRequest, token_id: int) -> ApiToken:
    return actions.revoke_api_token(current_user(request), token_id)
