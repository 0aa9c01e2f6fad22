"""lurewatch: finds cover profiles and lure approaches on professional networks."""

__version__ = "0.1.0"
