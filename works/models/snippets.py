"""Snippets shared by the works of every neighbourhood: categories and contractors."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField


class WorkCategory(TranslatableMixin, index.Indexed, models.Model):
    """A kind of public work (roads, water and sanitation, parks…), in every language.

    The ``code`` is the same in every language and is what imports and exports use.
    """

    name = models.CharField(_("name"), max_length=80)
    code = models.SlugField(
        _("code"),
        max_length=40,
        help_text=_("Short code used by spreadsheets and open data, e.g. 'roads'. Same in every language."),
    )
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("code"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("locale_id")]
    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("description"),
        SynchronizedField("code", overridable=False),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("work category")
        verbose_name_plural = _("work categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["code", "locale"], name="unique_category_code_per_locale"),
        ]

    def __str__(self):
        return self.name


class Contractor(TranslatableMixin, index.Indexed, models.Model):
    """A company or cooperative that carries out public works.

    Its name and contact details are facts shared by every language; only the description is
    translated.
    """

    name = models.CharField(_("name"), max_length=200)
    tax_id = models.CharField(_("tax identification number (NIT)"), max_length=30, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("tax_id"),
        FieldPanel("phone"),
        FieldPanel("email"),
        FieldPanel("website"),
        FieldPanel("description"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("locale_id")]
    translatable_fields = [
        SynchronizedField("name", overridable=False),
        SynchronizedField("tax_id", overridable=False),
        SynchronizedField("phone", overridable=False),
        SynchronizedField("email", overridable=False),
        SynchronizedField("website", overridable=False),
        TranslatableField("description"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("contractor")
        verbose_name_plural = _("contractors")
        ordering = ["name"]

    def __str__(self):
        return self.name
