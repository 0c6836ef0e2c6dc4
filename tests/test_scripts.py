"""The README's two commands share scripts/_env.sh: it installs Python packages
only when the requirements changed, front-end packages only when the lock
changed, and needs npm only then. Tried in a scratch copy of the project with
a stand-in Python and npm that record how they were called."""

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ("bash", "cat", "cut", "sha256sum", "basename", "dirname", "echo")
RECORDER = '#!/bin/sh\necho "$(basename "$0") $*" >> "$CALLS"\n'


@pytest.fixture
def project(tmp_path):
    """A copy of the files _env.sh reads, a .venv whose python only records its calls,
    an installed node_modules, and a PATH with the shell tools but no npm."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "_env.sh", tmp_path / "scripts")
    for name in ("requirements.txt", "requirements-dev.txt", "package.json", "package-lock.json"):
        shutil.copy(ROOT / name, tmp_path)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in TOOLS:
        (bin_dir / tool).symlink_to(shutil.which(tool))
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    recorder(tmp_path / ".venv" / "bin" / "python")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / ".package-lock.json").write_text("{}")
    return tmp_path


def recorder(path: Path) -> None:
    path.write_text(RECORDER)
    path.chmod(0o755)


def run_env(project: Path) -> subprocess.CompletedProcess:
    env = {"PATH": str(project / "bin"), "CALLS": str(project / "calls.log"), "HOME": str(project)}
    return subprocess.run(
        ["bash", "-c", "source scripts/_env.sh requirements-dev.txt"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def calls(project: Path) -> list[str]:
    log = project / "calls.log"
    return log.read_text().splitlines() if log.exists() else []


def test_pip_runs_once_for_a_set_of_requirements_and_again_when_they_change(project):
    assert run_env(project).returncode == 0
    assert run_env(project).returncode == 0
    install = "python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt"
    assert calls(project) == [install]
    with (project / "requirements-dev.txt").open("a") as requirements:
        requirements.write("\n# a change\n")
    assert run_env(project).returncode == 0
    assert calls(project) == [install, install]


def test_npm_is_not_needed_while_node_modules_is_up_to_date(project):
    result = run_env(project)
    assert (result.returncode, result.stderr) == (0, "")


def test_without_npm_a_stale_node_modules_stops_with_a_clear_message(project):
    later = time.time() + 10
    os.utime(project / "package-lock.json", (later, later))
    result = run_env(project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "The front-end packages (Bootstrap, ECharts, htmx) need installing and npm is not on the PATH.",
        "Install Node.js (which brings npm), then run this command again.",
    ]


def test_npm_ci_runs_when_the_lock_is_newer_than_node_modules(project):
    recorder(project / "bin" / "npm")
    later = time.time() + 10
    os.utime(project / "package-lock.json", (later, later))
    assert run_env(project).returncode == 0
    assert calls(project)[-1] == "npm ci --no-audit --no-fund --loglevel=error"


def test_scripts_run_loads_the_fixtures_only_into_an_empty_database():
    commands = [line for line in (ROOT / "scripts" / "run").read_text().splitlines() if "manage.py" in line]
    assert commands == [
        ".venv/bin/python manage.py migrate --noinput",
        ".venv/bin/python manage.py load_casebook --if-empty",
        "exec .venv/bin/python manage.py runserver 127.0.0.1:8000",
    ]
