"""Safe defaults: no stock group with rights over every area, no published password in production,
search that works after the demo is loaded without a worker."""

import io

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from wagtail.models import GroupPagePermission
from wagtail.search.backends import get_search_backend

import pytest

from demo import city
from teams.governance import retire_stock_groups
from tests import factories
from works.models import PublicWorkPage

pytestmark = pytest.mark.django_db


def stock_groups():
    return {group.name: group for group in Group.objects.filter(name__in=["Editors", "Moderators"])}


def test_a_fresh_site_has_wagtails_stock_groups_with_rights_over_the_root():
    groups = stock_groups()
    assert set(groups) == {"Editors", "Moderators"}
    assert GroupPagePermission.objects.filter(group__in=groups.values(), page__depth=1).exists()


def test_setup_governance_deletes_empty_stock_groups_and_empties_used_ones():
    moderator = factories.user("moderadora", stock_groups()["Moderators"])
    output = io.StringIO()
    call_command("setup_governance", stdout=output)
    groups = stock_groups()
    assert set(groups) == {"Moderators"}, "Editors had no member: deleted"
    moderators = groups["Moderators"]
    assert list(moderators.user_set.all()) == [moderator]
    assert not moderators.permissions.exists()
    assert not GroupPagePermission.objects.filter(group=moderators).exists()
    assert "'Editors': deleted" in output.getvalue() and "'Moderators': emptied" in output.getvalue()
    assert not moderator.has_perm("wagtailadmin.access_admin")
    assert retire_stock_groups() == {"Moderators": "emptied"}, "safe to run again"


def test_load_demo_refuses_the_published_password_where_settings_forbid_it(settings):
    settings.DEMO_PUBLISHED_PASSWORD = False
    with pytest.raises(CommandError, match="--random-passwords"):
        call_command("load_demo", stdout=io.StringIO())
    assert not Group.objects.filter(name__endswith="Editores").exists(), "nothing was built"


def test_load_demo_with_random_passwords_gives_each_account_its_own_and_builds_the_index(settings):
    settings.DEMO_PUBLISHED_PASSWORD = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # no worker ever runs
    output = io.StringIO()
    call_command("load_demo", "--random-passwords", stdout=output)
    text = output.getvalue()
    assert city.DEMO_PASSWORD not in text
    assert "Building the search index" in text
    admin = get_user_model().objects.get(username=city.admin_username())
    assert not admin.check_password(city.DEMO_PASSWORD)
    password = next(line.split()[1] for line in text.splitlines() if line.strip().startswith(city.admin_username()))
    assert admin.check_password(password)
    assert get_search_backend().search("ficticia", PublicWorkPage).count() == PublicWorkPage.objects.count() > 0
