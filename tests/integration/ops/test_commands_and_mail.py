"""The demo seed and the embedded default mail backend."""

from __future__ import annotations

from email import message_from_bytes
from io import StringIO
from pathlib import Path

import pytest
from django.core.mail import EmailMessage
from django.core.management import call_command

from modules.identity.infrastructure.models import User
from modules.shared.infrastructure.mail import FileAndConsoleEmailBackend


@pytest.mark.django_db
def test_seed_demo_creates_a_verified_user_and_is_repeatable() -> None:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=out)
    user = User.objects.get(email="demo@example.com")
    assert user.email_verified
    assert user.check_password("demo-password-2026")
    assert "demo@example.com / demo-password-2026" in out.getvalue()
    assert User.objects.count() == 1


def test_each_mail_is_its_own_file_and_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backend = FileAndConsoleEmailBackend(file_path=str(tmp_path))
    messages = [
        EmailMessage(subject=f"Hello {n}", body="Body", to=["a@example.com"])
        for n in range(2)
    ]
    assert backend.send_messages(messages) == 2
    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 2
    subjects = {message_from_bytes(path.read_bytes())["Subject"] for path in files}
    assert subjects == {"Hello 0", "Hello 1"}
    assert "Hello 1" in capsys.readouterr().out


@pytest.mark.django_db
def test_prepare_demo_seeds_a_ledger_that_passes_the_check() -> None:
    out = StringIO()
    call_command("prepare_demo", stdout=out)
    call_command("prepare_demo", stdout=out)
    assert "Demo ledger ready" in out.getvalue()
    assert "Demo ledger already present." in out.getvalue()
    check = StringIO()
    call_command("ledger_check", stdout=check)
    assert "Ledger OK" in check.getvalue()
