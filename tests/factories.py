"""Factories for people: one place that knows how a verified member is made."""

from __future__ import annotations

import factory
from django.test import TestCase
from django.utils import timezone

from modules.identity.infrastructure.models import User

PASSWORD = "a-long-enough-passphrase-42"


class UserFactory(factory.django.DjangoModelFactory):
    """A verified member with a tenant and a profile (via `create_user`)."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"member{n}@example.com")
    password = PASSWORD
    email_verified_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class: type[User], *args: object, **kwargs: object) -> User:
        email = str(kwargs.pop("email"))
        password = str(kwargs.pop("password"))
        # As after a real sign-up's commit: `tenant.created` is relayed, so the new
        # tenant has its starter categories.
        with TestCase.captureOnCommitCallbacks(execute=True):
            return model_class.objects.create_user(email, password, **kwargs)
