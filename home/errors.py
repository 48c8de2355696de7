"""Error pages of the public site that need a view of their own."""

from django.template.response import TemplateResponse


def csrf_failure(request, reason=""):
    """A form sent without a valid security token: the 403 page, in the reader's language, saying what to do.

    Django's own page is English and technical; residents most often meet this when a form was
    left open for long (its session expired) or cookies are blocked.
    """
    response = TemplateResponse(request, "403.html", {"csrf": True}, status=403)
    return response.render()
