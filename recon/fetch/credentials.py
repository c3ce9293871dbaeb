"""The app's client id and secret: from OTTO_CLIENT_ID / OTTO_CLIENT_SECRET, else from a small TOML file.

They are only ever sent to the token endpoint: never printed, logged, stored in the database or put into
a message (the dataclass hides them from repr, so even a traceback does not show them).
"""

from __future__ import annotations

import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from recon import i18n, settings

ID_ENV = "OTTO_CLIENT_ID"
SECRET_ENV = "OTTO_CLIENT_SECRET"
CONFIG_ENV = "RECON_OTTO_CONFIG"


class CredentialsError(Exception):
    """No usable credentials; the message says where they are looked for."""


@dataclass(frozen=True)
class Credentials:
    client_id: str = field(repr=False)
    client_secret: str = field(repr=False)


def _environment() -> dict[str, str]:
    """The variables this module looks at, as recon.settings read them (the one reader of the environment)."""
    s = settings.current()
    return {ID_ENV: s.otto_client_id or "", SECRET_ENV: s.otto_client_secret or "", CONFIG_ENV: s.otto_config or "",
            "XDG_CONFIG_HOME": s.xdg_config_home or ""}


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """`$RECON_OTTO_CONFIG`, else `$XDG_CONFIG_HOME/recon/otto.toml` (`~/.config/recon/otto.toml`)."""
    env = _environment() if env is None else env
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV]).expanduser()
    base = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else Path.home() / ".config"
    return base / "recon" / "otto.toml"


def load_credentials(env: Mapping[str, str] | None = None) -> tuple[Credentials, list[str]]:
    """The credentials and any warnings about how they are kept (a config file others can read)."""
    env = _environment() if env is None else env
    client_id, secret = env.get(ID_ENV, "").strip(), env.get(SECRET_ENV, "").strip()
    if client_id and secret:
        return Credentials(client_id, secret), []
    path = config_path(env)
    if not path.is_file():
        raise CredentialsError(i18n.t("fetch.no_credentials", path=str(path)))
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        # The decoder's message names the line, never the line's text, so a secret cannot leak into it.
        reason = i18n.t("fetch.config_not_toml", reason=str(exc).splitlines()[0])
        raise CredentialsError(i18n.t("fetch.bad_config", path=str(path), reason=reason)) from None
    except OSError as exc:
        raise CredentialsError(i18n.t("fetch.bad_config", path=str(path), reason=exc.strerror)) from None
    values = {key: str(table.get(key, "")).strip() for key in ("client_id", "client_secret")}
    for key, value in values.items():
        if not value:
            reason = i18n.t("fetch.config_missing_key", key=key)
            raise CredentialsError(i18n.t("fetch.bad_config", path=str(path), reason=reason))
    warnings = []
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        warnings.append(i18n.t("fetch.config_readable", path=str(path)))
    return Credentials(values["client_id"], values["client_secret"]), warnings
