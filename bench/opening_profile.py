"""cProfile of opening tickets in one process through the API (Django's test client), on a
fresh SQLite database (or DATABASE_URL): statements per opening, then the profile's top.

    PYTHONPATH=$PWD .venv/bin/python -m bench.opening_profile

OPENINGS (300), ENGINEERS (10, all skilled, so every ticket is routed and e-mailed), SORT
(cumulative) and TOP (60) set it.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import time

from bench.__main__ import _prepare_django


def main() -> None:
    _prepare_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import tickets
    from premierdesk.catalog.models import Product
    from premierdesk.offices.models import Engineer

    cast = tickets._cast()
    offices = tickets._offices()
    for n in range(int(os.environ.get("ENGINEERS", "10"))):
        tickets._engineer(offices[n % len(offices)], f"profile-{n}@premier.example")
    for engineer in Engineer.objects.all():
        engineer.skills.set(Product.objects.all())
    client = Client(headers={"Authorization": f"Bearer {cast.contact_token}"})

    def post(n: int) -> None:
        body = tickets._ticket_body(cast.sen, n)
        response = client.post("/api/v1/tickets", body, content_type="application/json")
        assert response.status_code == 201, response.content

    for n in range(20):  # the policy and office hours are read by the first ones
        post(n)
    with CaptureQueriesContext(connection) as captured:
        post(20)
    print(f"statements={len(captured)}")
    openings = int(os.environ.get("OPENINGS", "300"))
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    for n in range(openings):
        post(100 + n)
    profile.disable()
    seconds = time.perf_counter() - start
    print(f"openings={openings} ms_each={seconds / openings * 1000:.2f}")
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).sort_stats(os.environ.get("SORT", "cumulative"))
    stats.print_stats(int(os.environ.get("TOP", "60")))
    print(out.getvalue())


if __name__ == "__main__":
    main()
