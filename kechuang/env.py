"""Settings read from the environment through small helpers that fail loudly on bad values."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """The variable ``name`` as a string, or ``default`` when unset."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """The variable ``name`` as a boolean (1/true/yes/on or 0/false/no/off).

    Raises:
        ImproperlyConfigured: any other value.
    """
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected one of 1/0, true/false, yes/no, on/off")


def env_list(name: str, default: list[str]) -> list[str]:
    """The variable ``name`` as a comma-separated list, or ``default`` when unset."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def var_dir() -> Path:
    """The data folder (SQLite database, secret key, indexes).

    ``KECHUANG_VAR_DIR`` when set; otherwise ``var/`` beside ``pyproject.toml`` in a source checkout,
    or ``var/`` in the current directory for an installed package. Created when missing.
    """
    explicit = os.environ.get("KECHUANG_VAR_DIR")
    if explicit:
        path = Path(explicit)
    else:
        checkout = Path(__file__).resolve().parent.parent
        path = checkout / "var" if (checkout / "pyproject.toml").exists() else Path.cwd() / "var"
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(folder: Path) -> str:
    """``SECRET_KEY`` from the environment, or one generated once and kept in ``folder/secret_key``."""
    given = os.environ.get("SECRET_KEY")
    if given:
        return given
    keyfile = folder / "secret_key"
    if not keyfile.exists():
        keyfile.write_text(secrets.token_urlsafe(50))
        keyfile.chmod(0o600)
    return keyfile.read_text().strip()
