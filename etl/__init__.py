"""newsetl: Chinese local newspaper text dumps into PostgreSQL and Datasette."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsetl")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"
