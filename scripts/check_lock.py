"""Fail when requirements/lock.txt and pyproject.toml disagree, offline.

Every requirement of pyproject.toml (runtime, the dev extra and the build system) must
be pinned in the lock with `==` to a version its specifier allows, on CPython 3.12 and
3.13 on Linux; every pin must carry hashes; the lock may hold no editable, URL or
other unpinned line; and what the lock says came from pyproject.toml must still be
there. Nothing is re-resolved, so a new release on PyPI never changes the answer.

`--build-requires` prints the build system's requirements (an input of `make lock`).
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from packaging.markers import Marker, default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "lock.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*(.*))?$")
FROM_PYPROJECT = "finance (pyproject.toml)"


def targets() -> list[dict[str, str]]:
    """The environments the lock must serve: CPython 3.12 and 3.13 on Linux."""
    base = default_environment() | {
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
    }
    return [
        base | {"python_version": v, "python_full_version": f"{v}.0"}
        for v in ("3.12", "3.13")
    ]


def wanted(pyproject: dict) -> tuple[list[Requirement], list[Requirement]]:
    """(project requirements: runtime and dev, build-system requirements)."""
    project = pyproject["project"]
    direct = project["dependencies"] + project["optional-dependencies"]["dev"]
    build = pyproject["build-system"]["requires"]
    return [Requirement(r) for r in direct], [Requirement(r) for r in build]


Pin = tuple[str, str, str | None]  # (canonical name, version, marker)


def parse_lock(text: str) -> tuple[list[Pin], set[str], list[str]]:
    """(the pins, the names pinned for pyproject.toml itself, the problems)."""
    pins: list[Pin] = []
    from_pyproject: set[str] = set()
    problems: list[str] = []
    current: str | None = None
    for line in re.sub(r"\\\n", " ", text).splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            via = stripped.lstrip("#").strip().removeprefix("via").strip()
            if current and via == FROM_PYPROJECT:
                from_pyproject.add(current)
            continue
        if not stripped:
            continue
        requirement, *hashes = re.split(r"\s+--hash=", stripped)
        match = PIN.match(requirement.strip())
        if not match:
            problems.append(f"not a hashed `name==version` pin: {stripped[:80]}")
            current = None
            continue
        name, version, marker = match.groups()
        current = canonicalize_name(name)
        if not hashes or not all(h.startswith("sha256:") for h in hashes):
            problems.append(f"{name}=={version} has no sha256 hashes")
        pins.append((current, version, marker))
    return pins, from_pyproject, problems


def versions_for(pins: list[Pin], name: str, env: dict[str, str]) -> list[str]:
    return [
        version
        for pinned, version, marker in pins
        if pinned == name and (not marker or Marker(marker).evaluate(env))
    ]


def check(pyproject: dict, lock_text: str) -> list[str]:
    direct, build = wanted(pyproject)
    pins, from_pyproject, problems = parse_lock(lock_text)
    for env in targets():
        for requirement in direct + build:
            if requirement.marker and not requirement.marker.evaluate(env):
                continue
            name = canonicalize_name(requirement.name)
            versions = versions_for(pins, name, env)
            if len(versions) != 1:
                problems.append(
                    f"{requirement} is pinned {len(versions)} times"
                    f" for Python {env['python_version']}"
                )
            elif not requirement.specifier.contains(versions[0], prereleases=True):
                problems.append(f"{requirement}, but the lock pins {versions[0]}")
    asked = {canonicalize_name(r.name) for r in direct}
    for name in from_pyproject - asked:
        problems.append(f"{name} is locked for pyproject.toml, which no longer has it")
    return sorted(set(problems))


def main() -> int:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    if sys.argv[1:] == ["--build-requires"]:
        print("\n".join(pyproject["build-system"]["requires"]))
        return 0
    problems = check(pyproject, LOCK.read_text())
    for problem in problems:
        print(f"lock: {problem}", file=sys.stderr)
    if problems:
        print("The lock is stale: run 'make lock' and commit it.", file=sys.stderr)
        return 1
    print("requirements/lock.txt pins all of pyproject.toml, with hashes.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
