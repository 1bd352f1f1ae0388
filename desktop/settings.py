"""Per-user app settings: window geometry and the last vault's location, never client data."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "Parley"
APPLICATION = "Parley"


class AppSettings:
    """A thin typed wrapper over QSettings.

    What may live here: where the vault file is, window geometry and state, view preferences.
    What may not: names, answers, notes, case labels, search terms: anything about a client.
    """

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings or QSettings(ORGANIZATION, APPLICATION)

    @property
    def last_vault_path(self) -> Path | None:
        value = self._settings.value("vault/last_path", "", type=str)
        return Path(str(value)) if value else None

    @last_vault_path.setter
    def last_vault_path(self, path: Path) -> None:
        self._settings.setValue("vault/last_path", str(path))

    def window_geometry(self, name: str) -> QByteArray | None:
        value = self._settings.value(f"windows/{name}/geometry")
        return value if isinstance(value, QByteArray) else None

    def save_window_geometry(self, name: str, geometry: QByteArray) -> None:
        self._settings.setValue(f"windows/{name}/geometry", geometry)

    def sync(self) -> None:
        self._settings.sync()

    @property
    def file_name(self) -> str:
        return self._settings.fileName()
