"""API of feedback."""

from ninja import Router

router = Router(tags=["feedback"])
