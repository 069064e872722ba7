"""The insights' fixtures: build feedback's (Sound Recorder's 26.11.27, three ideas alice
posted on Monday to Wednesday at 11:00, shipped by team Rockets, published Friday 17:00)."""

from orangefriday.feedback.tests.conftest import build, changes, wish  # noqa: F401
from orangefriday.planning.tests.conftest import lee, rockets  # noqa: F401
from orangefriday.releases.tests.conftest import clock, local, product  # noqa: F401
