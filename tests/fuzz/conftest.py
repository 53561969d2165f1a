"""The contract fuzzer runs on its own (`make fuzz`), not in `make test`: it still
finds known failures (listed in CHANGELOG.md under "Known issues"), and a suite that
is red by design would hide every other failure."""

from __future__ import annotations

import os

collect_ignore_glob = [] if os.environ.get("FUZZ") == "1" else ["test_*.py"]
