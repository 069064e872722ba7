"""The simulation's adapter computes what the project computes, and loads as the simulation
loads it: by its path, without Django or the project on sys.path."""

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from orangefriday.ranking import simulation
from orangefriday.ranking.best import (
    EXPLORE_SLOTS,
    best_score,
    explore_priority,
    refit_typical_rate,
)
from orangefriday.ranking.scores import hot_score

ROOT = Path(__file__).resolve().parents[3]
ADAPTER = ROOT / "orangefriday" / "ranking" / "simulation.py"


def visible_posts(n=400, seed=11):
    """Arrays as the simulation passes them: weighted (fractional) counts, some posts unread,
    a few with more votes than readers."""
    rng = np.random.default_rng(seed)
    readers = np.round(np.exp(rng.uniform(0, np.log(6000), n)) - 1, 1)
    votes = np.round(readers * rng.beta(0.6, 12, n), 1)
    votes[:5] = readers[:5] + 3
    readers[5:10] = 0.0
    votes[5:10] = 0.0
    created = np.sort(rng.uniform(0, 168, n))
    return votes, readers, created


@pytest.mark.parametrize(
    ("adapter", "pure"),
    [(simulation.best, best_score), (simulation.explore, explore_priority)],
    ids=["score", "exploration"],
)
def test_the_adapter_computes_exactly_what_the_pure_functions_compute(adapter, pure):
    votes, readers, _ = visible_posts()
    typical = refit_typical_rate(zip(votes.tolist(), readers.tolist(), strict=True))
    expected = [
        pure(weighted_votes=v, weighted_readers=r, typical=typical)
        for v, r in zip(votes.tolist(), readers.tolist(), strict=True)
    ]
    assert adapter(weighted_votes=votes, weighted_impressions=readers).tolist() == expected


def test_the_simulation_explores_as_the_board_does():
    assert simulation.best.explore is simulation.explore  # type: ignore[attr-defined]
    assert simulation.best.explore_slots == EXPLORE_SLOTS  # type: ignore[attr-defined]


def test_the_hot_adapter_scores_exactly_what_the_board_stores():
    votes, _, created = visible_posts()
    expected = [
        hot_score(int(v), simulation.SIMULATION_MONDAY + timedelta(hours=h))
        for v, h in zip(votes.tolist(), created.tolist(), strict=True)
    ]
    assert simulation.hot(votes=votes, created_at_hours=created).tolist() == expected
    assert simulation.SIMULATION_MONDAY.weekday() == 0


LOAD_BY_PATH = """
import importlib.util, json, sys
import numpy as np
spec = importlib.util.spec_from_file_location("ext_simulation", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
votes, readers = np.array(json.loads(sys.argv[2])), np.array(json.loads(sys.argv[3]))
print(json.dumps({
    "best": module.best(weighted_votes=votes, weighted_impressions=readers).tolist(),
    "explore": module.best.explore(weighted_votes=votes, weighted_impressions=readers).tolist(),
    "hot": module.hot(votes=votes, created_at_hours=readers % 168).tolist(),
    "loaded": sorted(m for m in sys.modules if m.split(".")[0] in ("django", "orangefriday")),
}))
"""


def test_the_simulation_loads_the_adapter_by_path_without_the_project(tmp_path):
    votes, readers, _ = visible_posts(n=60)
    run = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            LOAD_BY_PATH,
            str(ADAPTER),
            json.dumps(votes.tolist()),
            json.dumps(readers.tolist()),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    out = json.loads(run.stdout)
    assert out["loaded"] == []
    assert out["best"] == simulation.best(votes, readers).tolist()
    assert out["explore"] == simulation.best.explore(votes, readers).tolist()  # type: ignore[attr-defined]
    assert out["hot"] == simulation.hot(votes, readers % 168).tolist()


def test_the_web_process_scores_posts_without_numpy():
    check = (
        "import sys; sys.path.insert(0, sys.argv[1]); import orangefriday.ranking.best; "
        "print('numpy' in sys.modules)"
    )
    run = subprocess.run(
        [sys.executable, "-I", "-c", check, str(ROOT)], capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "False"
