"""Tests of the framework-free matching core (no Django)."""
