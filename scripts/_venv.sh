# Sourced by the other scripts: make .venv with Python 3.11+ and install the pinned dependencies.
# Usage: . scripts/_venv.sh [dev]
set -euo pipefail

extra="${1:-}"
if [ ! -x .venv/bin/python ]; then
  python=""
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      python="$candidate"
      break
    fi
  done
  if [ -z "$python" ]; then
    echo "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)." >&2
    exit 1
  fi
  echo "Creating .venv with $("$python" --version)"
  "$python" -m venv .venv
fi

target="."
[ -n "$extra" ] && target=".[$extra]"
stamp=".venv/.installed${extra:+-$extra}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ requirements/constraints.txt -nt "$stamp" ]; then
  echo "Installing dependencies ($target)"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -c requirements/constraints.txt -e "$target"
  touch "$stamp"
fi
