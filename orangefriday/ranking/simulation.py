"""The project's ranking formulas in the calling convention of the closed-loop simulation.

From the project's root (the simulation lives in `../shared/sim/`)::

    F=orangefriday/ranking/simulation.py
    .venv/bin/python ../shared/sim/simulate.py --formula $F:best,$F:hot,wilson,fider

The simulation loads this file by its path, without Django and without the project on
`sys.path`, and calls each function with numpy arrays over the visible posts (parameters
named after its signals). Every score is computed by the project's own pure functions, post
by post: there is no second copy of a formula here, only the translation of the arrays.
numpy is a dev dependency; the web process never imports this module.
"""

import importlib.util
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import numpy as np


def _sibling(name: str) -> ModuleType:
    """Load `name`.py from this folder when this file was loaded by path, outside the
    project's package (the simulation's way); in the project, the package's own module."""
    if __package__:
        return importlib.import_module(f"{__package__}.{name}")
    unique = f"_orangefriday_ranking_{name}"
    if unique not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            unique, Path(__file__).with_name(f"{name}.py")
        )
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {name}.py beside {__file__}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[unique] = module
        spec.loader.exec_module(module)
    return sys.modules[unique]


_best = _sibling("best")
_scores = _sibling("scores")

# Hour 0 of the simulation is a Monday 00:00; which Monday changes no order.
SIMULATION_MONDAY = datetime(2026, 11, 23, tzinfo=UTC)


def _typical(votes: np.ndarray, readers: np.ndarray):
    """The refit over the visible posts, as the periodic refit does over a product's posts."""
    return _best.refit_typical_rate(zip(votes.tolist(), readers.tolist(), strict=True))


def best(weighted_votes: np.ndarray, weighted_impressions: np.ndarray) -> np.ndarray:
    """`best_score` of every visible post, on the weighted counts, with the typical rate
    refitted from the same posts (the board refits it periodically; here, at every re-rank)."""
    typical = _typical(weighted_votes, weighted_impressions)
    return np.array(
        [
            _best.best_score(weighted_votes=v, weighted_readers=r, typical=typical)
            for v, r in zip(weighted_votes.tolist(), weighted_impressions.tolist(), strict=True)
        ],
        dtype=float,
    )


def explore(weighted_votes: np.ndarray, weighted_impressions: np.ndarray) -> np.ndarray:
    """`explore_priority` of every visible post."""
    typical = _typical(weighted_votes, weighted_impressions)
    return np.array(
        [
            _best.explore_priority(weighted_votes=v, weighted_readers=r, typical=typical)
            for v, r in zip(weighted_votes.tolist(), weighted_impressions.tolist(), strict=True)
        ],
        dtype=float,
    )


# The simulation gives the last `explore_slots` first-page places to the highest `explore`
# priorities not already above them, which is `best.first_page`.
best.explore = explore  # type: ignore[attr-defined]
best.explore_slots = _best.EXPLORE_SLOTS  # type: ignore[attr-defined]


def hot(votes: np.ndarray, created_at_hours: np.ndarray) -> np.ndarray:
    """Today's `hot` (ranking/scores.py) on raw votes, as the board stores it."""
    return np.array(
        [
            _scores.hot_score(int(v), SIMULATION_MONDAY + timedelta(hours=h))
            for v, h in zip(votes.tolist(), created_at_hours.tolist(), strict=True)
        ],
        dtype=float,
    )
