"""The contract fuzzer runs on its own (`make fuzz`, a step of `.ci/run`), not in
`make test`: it is minutes of CPU (every operation, a fixed budget), and the suite
stays quick to run while working."""

from __future__ import annotations

import os

collect_ignore_glob = [] if os.environ.get("FUZZ") == "1" else ["test_*.py"]
