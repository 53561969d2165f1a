#!/usr/bin/env sh
# Prints the path of a Python 3.12 or 3.13 interpreter, from PATH or pyenv; fails clearly.
for candidate in python3.13 python3.12 python3; do
    path=$(command -v "$candidate" 2>/dev/null) || continue
    if "$path" -c 'import sys; sys.exit(0 if (3, 12) <= sys.version_info[:2] < (3, 14) else 1)' 2>/dev/null; then
        echo "$path"; exit 0
    fi
done
for root in "${PYENV_ROOT:-$HOME/.pyenv}/versions"/3.13* "${PYENV_ROOT:-$HOME/.pyenv}/versions"/3.12*; do
    if [ -x "$root/bin/python" ]; then echo "$root/bin/python"; exit 0; fi
done
echo "error: Python 3.12 or 3.13 is required (looked on PATH and under pyenv)." >&2
echo "       Install one (e.g. 'pyenv install 3.12') and run make again." >&2
exit 1
