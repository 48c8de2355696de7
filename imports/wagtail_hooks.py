"""Spreadsheet imports in the admin: the upload and confirm views, and their menu item."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from imports import views


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("importar/", views.upload, name="imports_upload"),
        path("importar/confirmar/", views.confirm, name="imports_confirm"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return views.may_import(request.user)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(_("Import spreadsheets"), reverse("imports_upload"), icon_name="upload", order=260)
