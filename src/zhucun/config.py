"""Settings read from the environment (prefix ``ZHUCUN_``); every number is a default."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ZHUCUN_", extra="ignore")

    database_url: str = "sqlite:///var/zhucun.db"
    # Keys for encrypting personal data live outside the database.
    key_dir: Path = Path("var/keys")
    default_locale: str = "zh_CN"

    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    token_hours: int = 8
    login_max_failures: int = 5
    login_lock_minutes: int = 15
    password_min_length: int = 8
    # zxcvbn's score (0–4) a new password must reach, and how many past passwords are refused.
    password_min_score: int = 3
    password_history: int = 5
    # A lockout lasts login_lock_minutes, doubling with each lockout in a row, up to this.
    login_lock_max_minutes: int = 24 * 60
    # Argon2id cost (argon2-cffi's defaults follow RFC 9106); tests lower them to run fast.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    argon2_parallelism: int = 4

    max_body_bytes: int = 1 << 20
    max_upload_bytes: int = 200 << 20
    # Log in, token and password forms, taken before anyone is authenticated.
    max_form_bytes: int = 4096
    cookie_secure: bool = False
    # Seconds between two writes of a session's last-seen time.
    session_touch_seconds: int = 60
    # Kinship: how many steps a relatives list follows by default, and at most.
    kin_default_degree: int = 2
    kin_max_degree: int = 4
    # Officials whose term ended within this many years (counting the current one) still
    # count for favouritism: the case-level kinship check and the report use the same window.
    kin_official_years: int = 3
    # An ID number whose birth date makes its holder older than this is valid, with a warning.
    id_max_age: int = 120
    # A work team is complete with this many cadres in post, one of them first secretary (2017 guidance: at least 3).
    team_minimum: int = 3

    def sqlite_path(self) -> Path | None:
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and ":memory:" not in self.database_url:
            return Path(self.database_url[len(prefix) :])
        return None


@lru_cache
def get_settings() -> Settings:
    return Settings()
