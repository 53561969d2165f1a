"""Identity's migrations stand alone: a renamed or removed enum member must not
break a migration that ran long ago."""

from __future__ import annotations

from pathlib import Path

MIGRATIONS = (
    Path(__file__).resolve().parents[3] / "modules/identity/infrastructure/migrations"
)


def test_migrations_name_audit_actions_as_plain_strings() -> None:
    texts = {path.name: path.read_text() for path in MIGRATIONS.glob("0*.py")}
    assert texts
    importing = [name for name, text in texts.items() if "AuditAction" in text]
    assert importing == []
    assert any("'user.password_changed'" in text for text in texts.values())
