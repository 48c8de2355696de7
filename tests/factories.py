"""Small builders for test data: real pages in a real page tree, published like an editor would."""

import datetime
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model

from wagtail.models import Locale

from home.models import HomePage
from neighborhoods.models import NeighborhoodPage, NewsPage, SubmunicipalityPage
from works.models import Contractor, PublicWorkPage, WorkCategory, WorkStatus

_counter = itertools.count(1)

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[-68.14, -16.51], [-68.12, -16.51], [-68.12, -16.49], [-68.14, -16.49], [-68.14, -16.51]]],
}


def home_page():
    return HomePage.objects.get(locale=Locale.get_default(), depth=2)


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def submunicipality(title=None, **fields):
    n = next(_counter)
    fields.setdefault("boundary", SQUARE)
    page = SubmunicipalityPage(title=title or f"Subalcaldía {n}", summary="Resumen de la subalcaldía", **fields)
    return publish(home_page(), page)


def neighborhood(parent=None, title=None, **fields):
    n = next(_counter)
    page = NeighborhoodPage(title=title or f"Barrio {n}", summary="Resumen del barrio", **fields)
    return publish(parent or submunicipality(), page)


def category(name="Vías", code=None):
    code = code or f"cat-{next(_counter)}"
    return WorkCategory.objects.create(name=name, code=code, locale=Locale.get_default())


def contractor(name=None):
    return Contractor.objects.create(name=name or f"Constructora {next(_counter)}", locale=Locale.get_default())


def work(parent=None, title=None, **fields):
    n = next(_counter)
    fields.setdefault("category", fields.pop("category", None) or category())
    fields.setdefault("project_code", f"OB-TEST-{n:05d}")
    fields.setdefault("budget", Decimal("100000.00"))
    fields.setdefault("amount_executed", Decimal("25000.00"))
    fields.setdefault("status", WorkStatus.IN_PROGRESS)
    fields.setdefault("progress", 25)
    fields.setdefault("latitude", Decimal("-16.500000"))
    fields.setdefault("longitude", Decimal("-68.130000"))
    page = PublicWorkPage(title=title or f"Obra {n}", summary="Resumen de la obra", **fields)
    return publish(parent or neighborhood(), page)


def news(parent, title=None, **fields):
    n = next(_counter)
    fields.setdefault("date", datetime.date(2026, 11, 1))
    page = NewsPage(title=title or f"Noticia {n}", intro="Introducción de la noticia", **fields)
    return publish(parent, page)


def user(username, *groups, superuser=False):
    User = get_user_model()
    person = User.objects.create_user(username=username, password="pass-1234", email=f"{username}@example.org")
    if superuser:
        person.is_superuser = True
        person.is_staff = True
        person.save()
    for group in groups:
        person.groups.add(group)
    return person


# Builders for the public templates' tests: images, documents, and a work with its gallery,
# documents and timeline, published like an editor would.


def image(title=None, size=(1200, 800), **fields):
    from io import BytesIO

    from django.core.files.images import ImageFile

    from wagtail.images import get_image_model

    from PIL import Image as PILImage

    n = next(_counter)
    buffer = BytesIO()
    PILImage.new("RGB", size, "steelblue").save(buffer, "PNG")
    title = title or f"Foto {n}"
    fields.setdefault("description", title)  # the alt text, which editors must give
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name=f"foto-{n}.png"), **fields)


def document(title=None):
    from django.core.files.base import ContentFile

    from wagtail.documents import get_document_model

    n = next(_counter)
    return get_document_model().objects.create(
        title=title or f"Documento {n}", file=ContentFile(b"%PDF-1.4 test\n", name=f"documento-{n}.pdf")
    )


def add_work_media(work, photos=0, documents=0, updates=()):
    """Add gallery photos, documents and dated timeline updates to a work and publish it again.

    ``updates`` is a list of ``(date, text)`` pairs; the first update also gets a photo.
    """
    from works.models import PublicWorkDocument, PublicWorkPhoto, PublicWorkUpdate

    for i in range(photos):
        work.photos.add(PublicWorkPhoto(image=image(), caption=f"Vista {i + 1} de la obra"))
    for i in range(documents):
        work.documents.add(PublicWorkDocument(document=document(), title=f"Informe técnico {i + 1}"))
    for i, (date, text) in enumerate(updates):
        work.updates.add(PublicWorkUpdate(date=date, text=text, image=image() if i == 0 else None))
    work.save_revision().publish()
    work.refresh_from_db()
    return work


def without_search_index_updates():
    """Build many pages quickly: skip search index updates (for tests that do not search).

    On PostgreSQL every index update recomputes title norms over the whole index table, which
    inside one test transaction grows quadratically with the pages created.
    """
    from django.conf import settings
    from django.test import override_settings

    backends = {name: {**params, "AUTO_UPDATE": False} for name, params in settings.WAGTAILSEARCH_BACKENDS.items()}
    return override_settings(WAGTAILSEARCH_BACKENDS=backends)


# Builders for budget lines.


def budget_line(area, **fields):
    from budgets.models import BudgetLine

    n = next(_counter)
    fields.setdefault("fiscal_year", 2026)
    fields.setdefault("code", f"PRE-TEST-{n:05d}")
    fields.setdefault("category", fields.pop("category", None) or category(code=f"budget-cat-{n}"))
    fields.setdefault("description", f"Línea de presupuesto {n}")
    fields.setdefault("amount_allocated", Decimal("100000.00"))
    fields.setdefault("amount_executed", Decimal("25000.00"))
    return BudgetLine.objects.create(area=area, **fields)


# Builders for the languages' tests. A page published in code gets its aliases in the other
# languages once the publication is committed (languages.aliases); a test's transaction never
# commits, so build inside ``aliases_made()`` to have them.


def aliases_made():
    """Run the after-commit work (such as creating aliases) of what is built inside, at the end."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def translation(page, language_code, **fields):
    """A real, published translation of ``page`` into ``language_code`` (not an alias).

    Make it before ``page``'s aliases exist (inside the same ``aliases_made()`` block): a locale
    that has an alias of the page cannot also have a copy of it.
    """
    copy = page.copy_for_translation(Locale.objects.get(language_code=language_code), copy_parents=True)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    copy.refresh_from_db()
    return copy


# Builders for the printable bulletin's tests.


def neighborhood_for_bulletin(works=3, title="Sopocachi"):
    """A neighbourhood with its council, its submunicipality's office, ``works`` works, news and a budget."""
    area = submunicipality(
        title="Subalcaldía Cotahuma",
        office_address="Av. 6 de Agosto 2170",
        opening_hours="Lunes a viernes, 8:30–16:30",
        phone="2 2650000",
        email="cotahuma@example.org",
    )
    barrio = neighborhood(
        area,
        title=title,
        population=25000,
        council_name="Junta Vecinal de Sopocachi",
        council_contact="María Quispe",
        council_phone="71234567",
        council_email="junta@example.org",
    )
    statuses = [WorkStatus.IN_PROGRESS, WorkStatus.PLANNED, WorkStatus.COMPLETED]
    with without_search_index_updates():
        for i in range(works):
            status = statuses[i % len(statuses)]
            progress = {WorkStatus.IN_PROGRESS: 40, WorkStatus.PLANNED: 0, WorkStatus.COMPLETED: 100}[status]
            work(barrio, title=f"Obra {i + 1:02d} de {title}", status=status, progress=progress)
    news(barrio, title="Vecinos inauguran la plaza", date=datetime.date(2026, 10, 1))
    news(barrio, title="Corte de agua programado", date=datetime.date(2026, 11, 2))
    from django.utils import timezone

    year = timezone.localdate().year
    budget_line(barrio, fiscal_year=year, amount_allocated=Decimal("300000.00"), amount_executed=Decimal("120000.00"))
    budget_line(barrio, fiscal_year=year, amount_allocated=Decimal("50000.00"), amount_executed=Decimal("5000.00"))
    budget_line(barrio, fiscal_year=year - 1, amount_allocated=Decimal("999999.00"), amount_executed=Decimal("1.00"))
    return barrio


# ---- Participation: form pages and submissions ----------------------------------------------
# Questions of a typical consultation: (clean_name, label, field_type, choices, personal_data).

CONSULTATION_QUESTIONS = (
    ("opinion", "¿Qué opina del proyecto?", "multiline", "", False),
    ("prioridad", "¿Qué es lo más urgente?", "radio", "Agua\nVías\nParques", False),
    ("nombre", "Su nombre", "singleline", "", True),
)


def form_fields(model, questions=CONSULTATION_QUESTIONS):
    return [
        model(
            clean_name=name,
            label=label,
            field_type=field_type,
            choices=choices,
            required=not personal,
            personal_data=personal,
        )
        for name, label, field_type, choices, personal in questions
    ]


def consultation(parent, title=None, questions=CONSULTATION_QUESTIONS, **fields):
    """A published consultation open since yesterday and for a month, with ``questions``."""
    from django.utils import timezone

    from participation.models import ConsultationFormField, ConsultationPage

    n = next(_counter)
    now = timezone.now()
    fields.setdefault("opens_at", now - datetime.timedelta(days=1))
    fields.setdefault("closes_at", now + datetime.timedelta(days=30))
    fields.setdefault("question", "¿Cómo mejoramos la plaza?")
    if any(personal for *_rest, personal in questions):
        fields.setdefault("personal_data_notice", "Para responderle. Se borra a los 180 días.")
    page = ConsultationPage(
        title=title or f"Consulta {n}", form_fields=form_fields(ConsultationFormField, questions), **fields
    )
    return publish(parent, page)


def feedback_form(parent, title=None, questions=CONSULTATION_QUESTIONS[:1], **fields):
    from participation.models import FeedbackFormField, FeedbackFormPage

    n = next(_counter)
    if any(personal for *_rest, personal in questions):
        fields.setdefault("personal_data_notice", "Para responderle. Se borra a los 180 días.")
    page = FeedbackFormPage(
        title=title or f"Su opinión {n}", form_fields=form_fields(FeedbackFormField, questions), **fields
    )
    return publish(parent, page)


def submission(page, submitted_at=None, language="es", channel="web", **data):
    """A stored submission of the form ``page`` (on its Spanish original) with answers ``data``."""
    from participation.models import Submission

    item = Submission.objects.create(page=page.original_page(), form_data=data, language=language, channel=channel)
    if submitted_at is not None:
        Submission.objects.filter(pk=item.pk).update(submit_time=submitted_at)
        item.refresh_from_db()
    return item


# ---- Participation: embedded feedback (helper "public", P5) ------------------------------------


def embed_feedback(page, form_page):
    """Choose the feedback form ``form_page`` for ``page`` (neighbourhood, work or news) and publish it."""
    page.feedback_form = form_page
    page.save_revision().publish()
    page.refresh_from_db()
    return page


# ---- end of embedded feedback (P5) --------------------------------------------------------------
