"""Kechuang (科创): a city Science and Technology Bureau's platform for its innovation system."""

__version__ = "0.1.0"
