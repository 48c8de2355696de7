"""The feedback form an editor can put at the bottom of a neighbourhood, work or news page."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel


class EmbeddedFeedbackMixin(models.Model):
    """A page on which residents can comment: the editor picks one of the area's feedback forms,
    shown at the bottom of the page in the reader's language."""

    feedback_form = models.ForeignKey(
        "participation.FeedbackFormPage",
        verbose_name=_("feedback form"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A feedback form of this area to show at the bottom of the page (optional)."),
    )

    feedback_panels = [FieldPanel("feedback_form", heading=_("Feedback form"))]

    class Meta:
        abstract = True
