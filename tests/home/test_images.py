"""Photos are light (WebP with a fallback, in the widths needed, lazy below the fold) and described for everyone.

Editors must give every image a description: it is the alt text. Without one (an image from
before the rule) the photo is shown as decorative (alt="").
"""

import datetime
import re
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from wagtail.images import get_image_model

import pytest
from PIL import Image as PILImage

from tests import factories

pytestmark = pytest.mark.django_db


def pictures(markup):
    return re.findall(r"<picture>.*?</picture>", markup, flags=re.S)


def attribute(tag, name):
    found = re.search(rf'\b{name}="([^"]*)"', tag)
    return found.group(1) if found else None


def test_work_photos_are_webp_with_a_jpeg_fallback_in_several_widths_and_load_lazily(client):
    work = factories.work()
    factories.add_work_media(work, photos=2, updates=[(datetime.date(2026, 5, 1), "Avance")])

    markup = client.get(work.url).content.decode()

    found = pictures(markup)
    assert len(found) == 3  # two in the gallery, one in the timeline
    for picture in found:
        source = re.search(r"<source [^>]*>", picture).group(0)
        assert attribute(source, "type") == "image/webp"
        srcset = attribute(source, "srcset")
        assert re.search(r"\.format-webp\.webp 320w", srcset)
        assert re.search(r"\.format-webp\.webp 640w", srcset)
        assert attribute(source, "sizes")
        img = re.search(r"<img [^>]*>", picture).group(0)
        assert ".format-jpeg.jpg" in attribute(img, "src")
        assert re.search(r"\.format-jpeg\.jpg 640w", attribute(img, "srcset"))
        assert attribute(img, "loading") == "lazy"
        assert int(attribute(img, "width")) > 0
        assert int(attribute(img, "height")) > 0


def test_the_alt_text_is_the_image_description_and_an_image_without_one_is_decorative(client):
    work = factories.work()
    described = factories.image(title="IMG_2034.png", description="Obreros colocando adoquines en la calle 21")
    undescribed = factories.image(title="IMG_2035.png", description="")
    from works.models import PublicWorkPhoto

    work.photos.add(PublicWorkPhoto(image=described))
    work.photos.add(PublicWorkPhoto(image=undescribed))
    work.save_revision().publish()

    images = re.findall(r"<img [^>]*>", client.get(work.url).content.decode().split('id="photos-heading"')[1])

    assert attribute(images[0], "alt") == "Obreros colocando adoquines en la calle 21"
    assert attribute(images[1], "alt") == ""  # never the file name
    assert "IMG_2035" not in images[1].split("src")[0]


def test_the_main_photo_of_a_page_loads_at_once_in_two_widths(client):
    barrio = factories.neighborhood(image=factories.image(description="La plaza del barrio"))

    markup = client.get(barrio.url).content.decode()

    figure = markup.split('<figure class="page-image">')[1].split("</figure>")[0]
    img = re.search(r"<img [^>]*>", figure).group(0)
    assert attribute(img, "loading") is None  # the first image is not lazy: it is seen first
    assert attribute(img, "alt") == "La plaza del barrio"
    assert re.search(r"\.format-webp\.webp 960w", figure)
    assert re.search(r"\.format-webp\.webp 480w", figure)
    assert attribute(img, "width") and attribute(img, "height")


# -- The admin requires alt text --------------------------------------------------------------


def png_upload(name="plaza.png"):
    buffer = BytesIO()
    PILImage.new("RGB", (40, 30), "seagreen").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def admin_client(client):
    client.force_login(factories.user("admin-alt", superuser=True))
    return client


def test_the_admin_refuses_an_image_without_a_description_and_says_why(admin_client):
    from wagtail.models import Collection

    response = admin_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Plaza",
            "file": png_upload(),
            "description": "   ",
            "collection": Collection.get_first_root_node().pk,
        },
    )

    assert response.status_code == 200
    assert not get_image_model().objects.filter(title="Plaza").exists()
    form = response.context["form"]
    with translation.override("es"):  # the admin's language here
        expected = gettext(
            "Describe the image: this text is read aloud to people who cannot see it and shown when it does not load."
        )
    assert form.errors["description"] == [expected]
    assert expected in response.content.decode()


def test_the_admin_accepts_an_image_with_a_description(admin_client):
    from wagtail.models import Collection

    response = admin_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Plaza",
            "file": png_upload(),
            "description": "La plaza Abaroa con sus bancas nuevas",
            "collection": Collection.get_first_root_node().pk,
        },
    )

    assert response.status_code == 302
    assert get_image_model().objects.get(title="Plaza").description == "La plaza Abaroa con sus bancas nuevas"


def test_editing_an_old_image_without_a_description_asks_for_one(admin_client):
    image = factories.image(title="Antigua", description="")

    response = admin_client.post(
        reverse("wagtailimages:edit", args=[image.pk]),
        {"title": "Antigua", "description": "", "collection": image.collection_id},
    )

    assert response.status_code == 200
    assert "description" in response.context["form"].errors
    image.refresh_from_db()
    assert image.description == ""


def test_the_multiple_uploader_keeps_an_image_without_description_aside_until_one_is_given(admin_client):
    from wagtail.models import UploadedFile

    response = admin_client.post(reverse("wagtailimages:add_multiple"), {"files[]": png_upload("sin-texto.png")})

    assert response.status_code == 200
    assert response.json()["success"]
    assert not get_image_model().objects.filter(title="sin-texto.png").exists()
    assert UploadedFile.objects.count() == 1


@pytest.mark.parametrize(
    "name, content",
    [
        ("foto.jpg", b"\xff\xd8\xff\xe0" + b"basura" * 200),  # a JPEG header, then garbage
        ("foto.jpg", b"GIF89a no es una imagen"),
        ("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        ("foto.jpg", b""),
    ],
)
def test_a_broken_image_upload_is_refused_with_a_clear_error(admin_client, name, content):
    from wagtail.models import Collection

    data = {
        "title": "Rota",
        "file": SimpleUploadedFile(name, content, content_type="image/jpeg"),
        "description": "Una foto que no abre",
        "collection": Collection.get_first_root_node().pk,
    }
    response = admin_client.post(reverse("wagtailimages:add"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not get_image_model().objects.filter(title="Rota").exists()
    multiple = admin_client.post(
        reverse("wagtailimages:add_multiple"), {"files[]": SimpleUploadedFile(name, content, content_type="image/jpeg")}
    )
    assert multiple.status_code < 500
    assert not get_image_model().objects.filter(title__startswith="foto").exists()
