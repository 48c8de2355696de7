""" "Translate this page" saves a draft: what the public sees changes only when someone allowed
to publish publishes the translation.

The bug (wagtail-localize 1.14.5, ``TranslationSource.create_or_update_translation``, called by
"Translate this page" / "Translate this snippet" through ``operations.TranslationCreator``):

- it publishes the translation whenever the source is live
  (``WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE``, on by default), whoever asks. Our
  translators may not publish, yet "Translate this page" put the page live with whatever
  translated strings are stored, with the translator as publisher. Strings outlive their
  translation: after *Convert to alias*, translating again published the old, unreviewed text.
- with publishing off it still writes the ingested text onto the target's row
  (``translation.save()``), and on an alias it first turns the alias into a translation. For a
  live page the row *is* the public page: the Spanish stand-in of ``/ay/...`` became the
  translator's half-translated text, marked ``lang="ay"``, without the "not translated yet"
  notice. For a snippet with drafts it also sets ``live=False``: a published translation
  disappeared.

Upstream: https://github.com/wagtail/wagtail-localize/issues/676 (translations bypass
moderation) and #299 / #655 (no draft of a translation) describe the missing review step; no
report names the row being overwritten (searched 2026). File one and link it here.

The fix, in two parts:

- ``portal.settings`` sets ``WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False``: "Translate
  this page" never publishes, for anyone. Publishing is the translation editor's "Publish",
  which checks the publish permission.
- ``SubmitPageTranslationView`` and ``SubmitSnippetTranslationView`` below are upstream's views,
  except that ``form_valid`` first keeps the content of every *live* target it will touch (the
  object's translations in the chosen languages and, with "Include subtree", its descendants'),
  lets upstream do its work (sources, translation records, new draft revisions, the alias
  converted into a translation the editor can open), then writes the kept content back onto
  each live row (``with_content_json``, as Wagtail's own revision publishing does) with
  ``live=True`` and "unpublished changes". The drafts stay in the revisions and in the translated
  strings; the public row is what was published before.

A page that was an alias keeps showing the Spanish original after this: ``languages.sources.
shows_original`` calls it a translation *waiting* for review until one is published, and
``languages.aliases`` keeps its text in step with the Spanish page meanwhile.

How it is hooked in: as ``po_upload``, ``urlpatterns`` repeats upstream's paths, registered by
``languages.wagtail_hooks`` before wagtail-localize's, so ``reverse(
"wagtail_localize:submit_page_translation")`` reaches these views. "Include subtree" runs inside
the request (wagtail-localize's default immediate background runner), so the descendants are
kept too; a queued runner would need the same around ``translate_page_subtree``.
"""

from django.db import transaction
from django.urls import path

from wagtail.models import DraftStateMixin, Page
from wagtail_localize.views import submit_translations as upstream


def live_targets(instance, locales, include_subtree=False):
    """The live translations of ``instance`` (and of its descendants) in ``locales``, specific."""
    if isinstance(instance, Page):
        keys = [instance.translation_key]
        if include_subtree:
            keys = instance.get_descendants(inclusive=True).values("translation_key")
        pages = Page.objects.filter(translation_key__in=keys, locale__in=locales, live=True)
        return list(pages.specific())
    if isinstance(instance, DraftStateMixin):
        return list(
            type(instance).objects.filter(translation_key=instance.translation_key, locale__in=locales, live=True)
        )
    return []  # a snippet without drafts has no published state to keep


def keep_live_content(targets):
    """{(model, pk): content} of ``targets`` as they are now (what the public sees)."""
    return {(type(target), target.pk): target.serializable_data() for target in targets}


def restore_live_content(kept):
    """Write the kept content back onto each row, now holding a draft: live, with unpublished changes."""
    for (model, pk), content in kept.items():
        current = model.objects.filter(pk=pk).first()
        if current is None:
            continue
        restored = current.with_content_json(content)
        restored.live = True
        restored.has_unpublished_changes = True
        if isinstance(restored, Page):
            restored.draft_title = current.draft_title
            if current.live_revision_id and not current.revisions.filter(pk=current.live_revision_id).exists():
                # An alias's live revision is its original's: this translation has none of its own yet.
                restored.live_revision = None
            restored.save(clean=False)
        else:
            restored.save()


class KeepsLiveContent:
    """Upstream's ``form_valid``, with the live targets' content kept as it was (module docstring)."""

    def form_valid(self, form):
        with transaction.atomic():
            targets = live_targets(
                self.object, form.cleaned_data["locales"], include_subtree=form.cleaned_data.get("include_subtree")
            )
            kept = keep_live_content(targets)
            response = super().form_valid(form)
            restore_live_content(kept)
        return response


class SubmitPageTranslationView(KeepsLiveContent, upstream.SubmitPageTranslationView):
    """wagtail-localize's "Translate this page", saving drafts only."""


class SubmitSnippetTranslationView(KeepsLiveContent, upstream.SubmitSnippetTranslationView):
    """wagtail-localize's "Translate this snippet", saving drafts only."""


# Shadow wagtail-localize's "wagtail_localize:submit_page_translation" and
# "wagtail_localize:submit_snippet_translation" (see the module docstring).
urlpatterns = [
    path("localize/submit/page/<int:page_id>/", SubmitPageTranslationView.as_view()),
    path(
        "localize/submit/snippet/<slug:app_label>/<slug:model_name>/<str:pk>/",
        SubmitSnippetTranslationView.as_view(),
    ),
]
