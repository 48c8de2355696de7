"""Who may read what residents sent: the team of the submunicipality that owns the form.

Wagtail lets anyone who may *edit* a form page read, export and delete its submissions. On Mi
Barrio that would include the translators (they edit every non-Spanish page) and any group
with page permissions over the whole site. Here the rule is narrowed: the submissions of a
consultation or feedback form are for the Editors and Reviewers of the submunicipality that
contains the form page — in any of its languages, since every language version shares the
Spanish original's submissions — and for superusers.

- ``forms_in_users_areas(user, pages)`` narrows a queryset of form pages; it is Wagtail's
  ``filter_form_submissions_for_user`` hook (registered in ``participation_hooks``), so the
  forms index, the submissions list, the exports and the delete view all obey it;
- ``may_see_submissions(user, page)`` asks the same question for one page (the assisted
  submission view and the page editor's submissions panel use it);
- ``SubmissionsPanel`` is the page editor's "submissions" summary, shown only to those users
  and counting the submissions of every language version.

Nothing here is imported from the models at module level: the models import this module.
"""

from django.utils.functional import cached_property

from wagtail.contrib.forms.panels import FormSubmissionsPanel

from teams.areas import submunicipalities_of, subtree_filter


def forms_in_users_areas(user, pages):
    """``pages`` narrowed to those inside the areas whose team ``user`` is on (all, for superusers)."""
    if not user.is_active:
        return pages.none()
    if user.is_superuser:
        return pages
    return pages.filter(subtree_filter(submunicipalities_of(user)))


def may_see_submissions(user, page):
    """May ``user`` read, export, delete and record submissions of the form ``page``?

    The same answer as Wagtail's forms views give, which apply the hook above.
    """
    from wagtail.contrib.forms.utils import get_forms_for_user

    if not user.is_authenticated:
        return False
    return get_forms_for_user(user).filter(pk=page.pk).exists()


class SubmissionsPanel(FormSubmissionsPanel):
    """The editor's "N submissions, latest on …" box of a form page.

    Counts the submissions of every language version (they are stored on the Spanish original)
    and is shown only to the users who may read them; to anyone else who may edit the page it
    shows nothing at all, not even the count.
    """

    class BoundPanel(FormSubmissionsPanel.BoundPanel):
        @cached_property
        def submissions(self):
            if not self.instance.pk or not may_see_submissions(self.request.user, self.instance):
                return self.panel.model().get_submission_class().objects.none()
            return self.instance.get_submissions()
