"""flake8-threadsafe: a flake8 plugin that finds threading bugs."""

from flake8_threadsafe.plugin import Plugin

__version__ = "0.1.0"

__all__ = ["Plugin", "__version__"]
