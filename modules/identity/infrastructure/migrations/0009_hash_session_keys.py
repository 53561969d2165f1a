"""Sessions and web sign-ins are kept under a digest of the session key (ADR 0026).

Existing rows are rewritten in place, so nobody is signed out. Going back signs
every browser out: a digest cannot be turned back into its key.
"""

import hashlib

from django.db import migrations


def _digest(key):
    # Frozen copy of session_store.digest: this migration must not change with it.
    return hashlib.sha256(key.encode()).hexdigest()[:40]


def hash_keys(apps, schema_editor):
    Session = apps.get_model("sessions", "Session")
    SignIn = apps.get_model("identity", "SignIn")
    for key in list(Session.objects.values_list("session_key", flat=True)):
        Session.objects.filter(session_key=key).update(session_key=_digest(key))
    for row_id, key in list(SignIn.objects.filter(kind="web").values_list("id", "key")):
        SignIn.objects.filter(id=row_id).update(key=_digest(key))


def sign_browsers_out(apps, schema_editor):
    apps.get_model("sessions", "Session").objects.all().delete()
    apps.get_model("identity", "SignIn").objects.filter(kind="web").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("identity", "0008_alter_auditevent_action"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(hash_keys, sign_browsers_out)]
