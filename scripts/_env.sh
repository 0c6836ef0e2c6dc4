# Shared by scripts/run and scripts/test: create the virtualenv on first use,
# install the pinned requirements and the front-end packages — each only when
# its lock has changed since the last install, so a restart installs nothing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -x .venv/bin/python ]; then
  PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
  echo "Creating virtualenv in .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi

# Python packages: reinstall when the requirements files change.
stamp=".venv/.installed-$(basename "$1" .txt)"
wanted=$(cat requirements.txt "$1" | sha256sum | cut -d" " -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$1"
  echo "$wanted" > "$stamp"
fi

# Front-end packages: npm ci when node_modules is missing or older than the lock
# (npm writes node_modules/.package-lock.json on every install).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  if ! command -v npm >/dev/null; then
    echo "The front-end packages (Bootstrap, ECharts, htmx) need installing and npm is not on the PATH." >&2
    echo "Install Node.js (which brings npm), then run this command again." >&2
    exit 1
  fi
  npm ci --no-audit --no-fund --loglevel=error
fi
