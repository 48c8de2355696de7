"""The small city's participation pages for the browser tests: a feedback form chosen on the
work's page and an open consultation with a hearing in the first neighbourhood.

``participation`` is a fixture for the test modules that need them (import it there). The pages
are added once to the package's committed city (``conftest.live_site``), which gives the
database back as it was when the package is done.
"""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from wagtail.models import Locale

import pytest

from participation.models import ConsultationHearing
from tests import factories

FEEDBACK_QUESTIONS = (
    ("comentario", "Su comentario sobre la obra", "multiline", "", False),
    ("calificacion", "¿Cómo va la obra?", "radio", "Bien\nRegular\nMal", False),
    ("telefono", "Su teléfono, si quiere que le llamemos", "singleline", "", True),
)


@pytest.fixture
def participation(live_site, django_db_blocker):
    city = live_site.city
    if getattr(city, "participation", None) is None:
        with django_db_blocker.unblock():
            city.participation = build_participation(city)
    return city.participation


def build_participation(city):
    now = timezone.now()
    with factories.aliases_made():
        form_page = factories.feedback_form(
            city.neighborhood,
            title="Su opinión sobre las obras",
            questions=FEEDBACK_QUESTIONS,
            intro="Cuéntenos cómo va la obra en su calle.",
            thank_you_text="<p>Gracias por su opinión: el equipo de la subalcaldía la leerá.</p>",
        )
        work = factories.embed_feedback(city.work, form_page)
        consultation = factories.consultation(
            city.neighborhood,
            title="¿Qué hacemos con la plaza de Villa Victoria?",
            context="<p>La subalcaldía tiene presupuesto para una sola mejora este año.</p>",
            thank_you_text="<p>Gracias por responder a la consulta.</p>",
            hearings=[
                ConsultationHearing(
                    starts_at=now + datetime.timedelta(days=5),
                    place="Sede de la Junta Vecinal de Villa Victoria",
                    address="Calle Tumusla 450",
                )
            ],
        )
    urls = {
        code: {
            "consultation": consultation.get_translation(locale).url,
            "feedback form": form_page.get_translation(locale).url,
        }
        for code in ("es", "ay")
        for locale in [Locale.objects.get(language_code=code)]
    }
    return SimpleNamespace(form_page=form_page, work=work, consultation=consultation, urls=urls)
