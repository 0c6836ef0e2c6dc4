# Shared by scripts/run and scripts/test: create the virtualenv on first use and
# install the pinned requirements (and front-end packages, once there are any).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
if [ ! -x .venv/bin/python ]; then
  echo "Creating virtualenv in .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$1"
if [ -f package.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
