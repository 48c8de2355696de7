""" "Sync translated pages" publishes only for someone allowed to publish every translation.

The bug (wagtail-localize 1.14.5, ``wagtail_localize.views.update_translations.
UpdateTranslationsView``): the view checks only the ``wagtail_localize.submit_translation``
permission. Its "Publish immediately" box then calls ``translation.save_target(publish=True)``
for every translation of the page, never asking whether the user may publish them. Our
translators hold ``submit_translation`` but not ``publish_page`` (see
``teams.governance``: the area's reviewers publish translations), so a translator could
publish unreviewed translations in every language at once.

Upstream: no wagtail-localize issue reports this yet (searched 2026). The view came with
https://github.com/wagtail/wagtail-localize/pull/159, and its permission model is discussed in
https://github.com/wagtail/wagtail-localize/issues/108 ("Can manage translations"). The
translation editor's own "Publish" does check ``can_publish()``. File an issue and link it here.

The fix: ``UpdateTranslationsView`` below is upstream's view, except that before applying the
form it works out which translations "Publish immediately" would publish and whether the user
may publish each one: a page by ``page.permissions_for_user(user).can_publish()`` (a page not
created yet: ``can_publish_subpage()`` on its parent's translation), a snippet by the model's
``publish`` permission (``change`` for snippets without drafts, which have no publishing). If
any is refused, the box is ignored for all of them and a warning names the languages; the
sync goes on as without the box (the source is re-read and the translations wait for the
translators, nothing is published). Someone allowed to publish them all gets upstream's
behaviour unchanged. The box still shows in the form (upstream's template writes its
``<input>`` by hand).

How it is hooked in: as ``po_upload``, ``urlpatterns`` repeats upstream's path
(``/admin/localize/update/<id>/``), registered by ``languages.wagtail_hooks`` before
wagtail-localize's, so ``reverse("wagtail_localize:update_translations")`` reaches this view.
"""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.urls import path
from django.utils.translation import gettext as _

from wagtail.models import DraftStateMixin, Page
from wagtail.snippets.permissions import get_permission_name
from wagtail_localize.views import update_translations as upstream


def may_publish(user, translation, source_instance):
    """Whether ``user`` may publish ``translation``'s target (as "Publish immediately" would)."""
    if isinstance(source_instance, Page):
        try:
            page = translation.get_target_instance()
        except ObjectDoesNotExist:
            # Not created yet: publishing creates it under the parent's translation.
            parent = source_instance.get_parent()
            parent = parent.get_translation_or_none(translation.target_locale) if parent else None
            return parent is not None and parent.permissions_for_user(user).can_publish_subpage()
        return page.permissions_for_user(user).can_publish()
    model = type(source_instance)
    action = "publish" if issubclass(model, DraftStateMixin) else "change"
    return user.has_perm(get_permission_name(action, model))


class UpdateTranslationsView(upstream.UpdateTranslationsView):
    """wagtail-localize's "Sync translated pages", with "Publish immediately" permission-checked."""

    def form_valid(self, form):
        if form.cleaned_data.get("publish_translations"):
            source_instance = self.object.get_source_instance()
            refused = [
                translation.target_locale
                for translation in self.object.translations.filter(enabled=True).select_related("target_locale")
                if not may_publish(self.request.user, translation, source_instance)
            ]
            if refused:
                form.cleaned_data["publish_translations"] = False
                languages = ", ".join(str(locale.get_display_name()) for locale in refused)
                messages.warning(
                    self.request,
                    _(
                        "You may not publish the translations in %(languages)s, so “Publish immediately” was "
                        "ignored: the translations were updated, but none was published."
                    )
                    % {"languages": languages},
                )
        return super().form_valid(form)


# Shadows wagtail-localize's "wagtail_localize:update_translations" (see the module docstring).
urlpatterns = [
    path("localize/update/<int:translation_source_id>/", UpdateTranslationsView.as_view()),
]
