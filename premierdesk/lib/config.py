"""Read the service's configuration from environment variables, with clear errors."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


class ConfigError(ValueError):
    """A configuration value that cannot be used; the message says which and how to fix it."""


def env_bool(environ: dict[str, str], name: str, default: bool = False) -> bool:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={raw!r} is not a yes/no value; use 1 or 0.")


def env_list(environ: dict[str, str], name: str, default: list[str]) -> list[str]:
    raw = environ.get(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def postgres_options(environ: dict[str, str]) -> dict[str, Any]:
    """PostgreSQL's connection options: parameters bound by the server, and a statement a
    connection runs ``DATABASE_PREPARE_THRESHOLD`` times (default 2) prepared, so that
    PostgreSQL plans it once for that connection; ``off`` for a pooler that cannot keep
    prepared statements (PgBouncer in transaction mode before 1.21)."""
    raw = environ.get("DATABASE_PREPARE_THRESHOLD", "").strip().lower() or "2"
    if raw == "off":
        return {"server_side_binding": True, "prepare_threshold": None}
    if not raw.isdigit():
        raise ConfigError(
            f"DATABASE_PREPARE_THRESHOLD={raw!r} is not a number of uses; use 2, or off "
            "behind a pooler that cannot keep prepared statements."
        )
    return {"server_side_binding": True, "prepare_threshold": int(raw)}


def secret_key_from(environ: dict[str, str], var_dir: Path) -> str:
    """The SECRET_KEY from the environment, else one generated once and kept under var/."""
    if environ.get("SECRET_KEY"):
        return environ["SECRET_KEY"]
    key_file = var_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # Write then rename so two processes starting together never read half a key.
    tmp = key_file.with_suffix(f".{secrets.token_hex(4)}.tmp")
    tmp.write_text(key)
    tmp.chmod(0o600)
    tmp.replace(key_file)
    return key_file.read_text().strip()


# Listening on every interface: links should name this machine the way a browser on it does.
_ANY_INTERFACE = {"", "0.0.0.0", "::", "[::]"}  # noqa: S104 - compared, not bound


def listening_site_url(host: str | None, port: str | int | None) -> str:
    """The address of a server listening on ``host:port`` (defaults 127.0.0.1 and 8000), for
    links when SITE_URL is not set."""
    host = (host or "").strip()
    if host in _ANY_INTERFACE:
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port or 8000}"


_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "submission": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}


def email_settings(url: str) -> dict[str, Any]:
    """Django e-mail settings from a URL such as ``smtp://user:pass@host:587?tls=1``.

    Schemes: smtp, smtps (implicit TLS), submission (STARTTLS on 587), console, file
    (``file:///path/to/dir``, or ``file://var/mail`` relative to the working directory), memory,
    dummy.
    """
    parts = urlsplit(url)
    backend = _EMAIL_BACKENDS.get(parts.scheme)
    if backend is None:
        known = ", ".join(sorted(_EMAIL_BACKENDS))
        raise ConfigError(f"EMAIL_URL scheme {parts.scheme!r} is unknown; use one of: {known}.")
    result: dict[str, Any] = {
        "EMAIL_BACKEND": backend,
        "EMAIL_FILE_PATH": None,
        "EMAIL_HOST": "localhost",
        "EMAIL_PORT": 25,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": False,
        "EMAIL_TIMEOUT": 30,
    }
    if parts.scheme == "file":
        # file:///srv/mail is absolute; file://var/mail is relative to the working directory.
        result["EMAIL_FILE_PATH"] = unquote(parts.netloc + parts.path)
        return result
    if backend.endswith("smtp.EmailBackend"):
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        default_port = {"smtp": 25, "smtps": 465, "submission": 587}[parts.scheme]
        result.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=parts.port or default_port,
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_SSL=parts.scheme == "smtps" or query.get("ssl") == "1",
            EMAIL_USE_TLS=parts.scheme == "submission" or query.get("tls") == "1",
            EMAIL_TIMEOUT=int(query.get("timeout", "30")),
        )
    return result
