"""Accounts: personal sign-ins, roles, lock-out and API tokens."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "premierdesk.accounts"
    label = "accounts"
    verbose_name = "Accounts"
