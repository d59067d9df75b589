"""flake8-threadsafe: a flake8 plugin that finds threading bugs."""

from flake8_threadsafe._version import __version__
from flake8_threadsafe.plugin import Plugin

__all__ = ["Plugin", "__version__"]
