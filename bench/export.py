"""A person's export measured in a process of its own: time and peak memory.

    python -m bench.export TENANT_ID

Runs the export job (modules.privacy's `build_export`, the code the worker runs) for
one generated tenant against the benchmark's database and prints one JSON line: rows,
seconds, rows per second, zip size, and the process's peak resident memory before
and after (ru_maxrss), so a job that held its rows in memory would show it.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
import uuid
from typing import Any


def _peak_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def export(tenant_id: str) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    from modules.identity.infrastructure.models import User
    from modules.privacy.infrastructure import tasks
    from modules.privacy.infrastructure.models import DataExport
    from modules.shared.application.tenancy import tenant_scope

    settings.EXPORT_ROOT = tempfile.mkdtemp(prefix="bench-export-")
    user = User.objects.filter(tenant_id=tenant_id).order_by("date_joined").first()
    assert user is not None, tenant_id
    with tenant_scope(uuid.UUID(tenant_id)):
        row = DataExport.objects.create(tenant_id=tenant_id, requested_by=user.id)
    before = _peak_mib()
    started = time.perf_counter()
    outcome = tasks.build_export(str(row.id), tenant_id)
    seconds = time.perf_counter() - started
    after = _peak_mib()
    with tenant_scope(uuid.UUID(tenant_id)):
        row.refresh_from_db()
    (tasks.export_root() / row.file_name).unlink(missing_ok=True)
    return {
        "outcome": outcome,
        "rows": row.rows_written,
        "seconds": round(seconds, 2),
        "rows_per_second": round(row.rows_written / seconds) if seconds else None,
        "zip_mib": round(row.size_bytes / 2**20, 2),
        "peak_rss_before_mib": before,
        "peak_rss_after_mib": after,
        "peak_rss_growth_mib": round(after - before, 1),
        "method": "build_export run in its own process (no worker queue), "
        "ru_maxrss before and after",
    }


if __name__ == "__main__":
    print(json.dumps(export(sys.argv[1])))
