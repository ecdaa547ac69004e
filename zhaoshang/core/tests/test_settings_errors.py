"""A malformed setting stops start-up with a message that names its variable, for every kind of
setting (zhaoshang/env.py): the helpers one by one, and settings.py as a whole in a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from zhaoshang import env

PROJECT_DIR = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("call", "value"),
    [
        (lambda: env.env_bool("ZS_TEST_VAR", False), "maybe"),
        (lambda: env.env_int("ZS_TEST_VAR", 1), "ten"),
        (lambda: env.env_choice("ZS_TEST_VAR", "INFO", ("DEBUG", "INFO")), "LOUD"),
        (lambda: env.env_time_zone("ZS_TEST_VAR", "Asia/Shanghai"), "Asia/Nowhere"),
        (lambda: env.env_url("ZS_TEST_VAR", "http://x"), "zhaoshang.example.gov.cn"),
        (lambda: env.env_database("ZS_TEST_VAR", "sqlite:///x", conn_max_age=0), "mysqlx://a/b"),
        (lambda: env.env_database("ZS_TEST_VAR", "sqlite:///x", conn_max_age=0), "postgres://u@h:port/db"),
        (lambda: env.env_database("ZS_TEST_VAR", "sqlite:///x", conn_max_age=0), "postgres://"),
    ],
)
def test_each_kind_of_setting_names_its_variable(monkeypatch, call, value):
    monkeypatch.setenv("ZS_TEST_VAR", value)
    with pytest.raises(ImproperlyConfigured, match="ZS_TEST_VAR"):
        call()


def test_good_values_are_taken(monkeypatch):
    monkeypatch.setenv("ZS_TEST_VAR", "warning")
    assert env.env_choice("ZS_TEST_VAR", "INFO", ("DEBUG", "INFO", "WARNING")) == "WARNING"
    monkeypatch.setenv("ZS_TEST_VAR", "Europe/Berlin")
    assert env.env_time_zone("ZS_TEST_VAR", "Asia/Shanghai") == "Europe/Berlin"
    monkeypatch.setenv("ZS_TEST_VAR", "postgres://zs:pw@db:5433/zhaoshang")
    config = env.env_database("ZS_TEST_VAR", "sqlite:///x", conn_max_age=60)
    assert (config["NAME"], config["PORT"], config["CONN_MAX_AGE"]) == ("zhaoshang", 5433, 60)
    monkeypatch.delenv("ZS_TEST_VAR")
    assert env.env_time_zone("ZS_TEST_VAR", "Asia/Shanghai") == "Asia/Shanghai"


def test_database_error_does_not_show_the_password(monkeypatch):
    monkeypatch.setenv("ZS_TEST_VAR", "postgres://zs:SeCrEt@db:port/zhaoshang")
    with pytest.raises(ImproperlyConfigured) as caught:
        env.env_database("ZS_TEST_VAR", "sqlite:///x", conn_max_age=0)
    assert "SeCrEt" not in str(caught.value)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("LOG_LEVEL", "verbose"),
        ("TIME_ZONE", "Beijing"),
        ("DATABASE_URL", "postgresql://u@h:nope/db"),
        ("EMAIL_TIMEOUT", "soon"),
        ("EMAIL_USE_SSL", "si"),
        ("SITE_URL", "zhaoshang.example.gov.cn"),
        ("VISIT_REMIND_DAYS", "0"),
        ("MAP_COUNTY", "平江县"),
        ("ALLOWED_HOSTS", None),  # a list never fails: the control that start-up works at all
    ],
)
def test_settings_stop_start_up_naming_the_variable(variable, value):
    environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    environ.update(DEBUG="1", DJANGO_SETTINGS_MODULE="zhaoshang.settings")
    if value is not None:
        environ[variable] = value
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=PROJECT_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if value is None:
        assert result.returncode == 0, result.stderr
        return
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: ")
    assert variable in last_line


def test_tls_and_ssl_together_are_refused():
    environ = {**os.environ, "DEBUG": "1", "EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}
    environ["DJANGO_SETTINGS_MODULE"] = "zhaoshang.settings"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=PROJECT_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "EMAIL_USE_TLS and EMAIL_USE_SSL" in result.stderr
