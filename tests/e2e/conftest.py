from .tmux_driver import pane_factory  # noqa: F401
