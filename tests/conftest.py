import pytest


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Every test gets its own store: nothing touches the user's real data dir."""
    monkeypatch.setenv("PREMORTEM_HOME", str(tmp_path_factory.mktemp("home")))
    yield
