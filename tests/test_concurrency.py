"""Several editors saving at once on SQLite (the default database), with readers
browsing: every save is stored and nobody gets "database is locked"."""

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "concurrent_editing.py"


def test_four_editors_saving_at_once_with_two_readers_all_saves_are_stored(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'casebook.sqlite3'}"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "4", "25", "2"], env=env, capture_output=True, text=True, timeout=240
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert {key: report[key] for key in ("attempted", "stored", "other", "errors", "history_rows_written")} == {
        "attempted": 100,
        "stored": 100,
        "other": {},
        "errors": [],
        "history_rows_written": 100,
    }
    assert report["final_names"] == [f"Approach {n}, edit 25" for n in range(4)]
