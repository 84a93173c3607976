"""API of escalations."""

from ninja import Router

router = Router(tags=["escalations"])
