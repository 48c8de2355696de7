"""Template tags of the participation forms: ``{% embedded_feedback page as feedback %}``."""

from django import template

from wagtail.models import Page

from home.visibility import public_pages
from participation.submissions import THANKS_PARAMETER, build_form

register = template.Library()


class EmbeddedFeedback:
    """The feedback form chosen for a page, in the reader's language, ready to show at its bottom."""

    def __init__(self, form_page, about, request):
        self.page = form_page
        self.about = about
        self.form = build_form(form_page).describe_fields()
        self.action = form_page.get_url(request)
        self.thanked = request is not None and request.GET.get(THANKS_PARAMETER) == "1"


@register.simple_tag(takes_context=True)
def embedded_feedback(context, page):
    """The feedback form ``page`` shows (``None`` if it has none, or if the form is not live and
    public). A constant number of queries, whatever the form's number of questions."""
    form_page = getattr(page, "feedback_form", None)
    if form_page is None:
        return None
    form_page = form_page.localized
    if not public_pages(Page.objects.filter(pk=form_page.pk)).exists():
        return None
    return EmbeddedFeedback(form_page, page, context.get("request"))
