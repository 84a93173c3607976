"""API of services."""

from ninja import Router

router = Router(tags=["services"])
