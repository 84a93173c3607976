"""Configuration from environment variables."""

from __future__ import annotations

import pytest

from premierdesk.lib.config import (
    ConfigError,
    email_settings,
    env_bool,
    postgres_options,
    secret_key_from,
)


def test_smtp_url_becomes_django_settings():
    settings = email_settings("submission://mailer%40corp:s3cr%2Ft@mail.corp.example?timeout=5")
    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert settings["EMAIL_HOST"] == "mail.corp.example"
    assert settings["EMAIL_PORT"] == 587
    assert settings["EMAIL_HOST_USER"] == "mailer@corp"
    assert settings["EMAIL_HOST_PASSWORD"] == "s3cr/t"
    assert settings["EMAIL_USE_TLS"] is True
    assert settings["EMAIL_TIMEOUT"] == 5


def test_smtps_uses_implicit_tls_on_465():
    settings = email_settings("smtps://relay.example")
    assert (settings["EMAIL_PORT"], settings["EMAIL_USE_SSL"]) == (465, True)


def test_console_and_file_backends():
    assert email_settings("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    assert email_settings("file:///var/mail/out")["EMAIL_FILE_PATH"] == "/var/mail/out"


def test_unknown_email_scheme_says_what_is_allowed():
    with pytest.raises(ConfigError, match="smtp"):
        email_settings("pigeon://coop")


def test_env_bool_refuses_ambiguous_values():
    assert env_bool({"DEBUG": "yes"}, "DEBUG") is True
    assert env_bool({}, "DEBUG") is False
    with pytest.raises(ConfigError, match="DEBUG='maybe'"):
        env_bool({"DEBUG": "maybe"}, "DEBUG")


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = secret_key_from({}, tmp_path)
    assert len(first) > 40
    assert secret_key_from({}, tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert secret_key_from({"SECRET_KEY": "from-env"}, tmp_path) == "from-env"


def test_postgresql_prepares_a_statement_at_its_second_use_unless_told_otherwise():
    assert postgres_options({}) == {"server_side_binding": True, "prepare_threshold": 2}
    assert postgres_options({"DATABASE_PREPARE_THRESHOLD": "5"})["prepare_threshold"] == 5
    assert postgres_options({"DATABASE_PREPARE_THRESHOLD": "off"})["prepare_threshold"] is None
    with pytest.raises(ConfigError, match=r"DATABASE_PREPARE_THRESHOLD='often'.*off"):
        postgres_options({"DATABASE_PREPARE_THRESHOLD": "often"})
