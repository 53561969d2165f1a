"""`manage.py seed_demo`: a verified demo person to sign in with, printed once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from modules.identity.infrastructure.models import User

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - a published demo credential


class Command(BaseCommand):
    help = "Create (or reset) the demo user and print its credentials."

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email=DEMO_EMAIL).first()
        if user is None:
            user = User.objects.create_user(
                DEMO_EMAIL, DEMO_PASSWORD, email_verified_at=timezone.now()
            )
        else:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        self.stdout.write(
            self.style.SUCCESS(f"Demo user ready: {DEMO_EMAIL} / {DEMO_PASSWORD}")
        )
