"""API of spaces."""

from ninja import Router

router = Router(tags=["spaces"])
