"""The project stays consistent: system checks, migrations in step with models, production safe."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_models_and_migrations_are_in_step():
    # Raises SystemExit(1) if a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_system_checks_pass():
    call_command("check", fail_level="WARNING")


def deploy_check(*options, **environment):
    """``manage.py check --deploy`` under the production settings, as a separate process."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "a-long-random-production-like-secret-key-for-the-deploy-check-0123456789",
        "ALLOWED_HOSTS": "mibarrio.example.org",
        **environment,
    }
    command = [sys.executable, "manage.py", "check", "--deploy", *options]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)


def test_deploy_checks_are_clean_with_production_settings():
    result = deploy_check("--fail-level", "WARNING", TRUSTED_PROXY_COUNT="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_warns_when_a_proxy_is_in_front_but_not_counted():
    result = deploy_check(TRUSTED_PROXY_COUNT="0")
    assert "participation.W001" in result.stdout + result.stderr
    assert "TRUSTED_PROXY_COUNT" in result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.production", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
