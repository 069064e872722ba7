"""GET /api/v1/products: every product by name with its categories, as it is right now."""

import pytest

from orangefriday.board.models import Category, Product

pytestmark = pytest.mark.django_db


def test_products_by_name_each_with_its_categories_by_name(recorder, camera, client):
    Category.objects.create(product=camera, slug="lens", name="Lens", name_zh="镜头")
    Category.objects.create(product=camera, slug="flash", name="Flash")
    products = client.get("/api/v1/products").json()
    names = [p["name"] for p in products]
    assert names == sorted(names) and {recorder.name, camera.name} <= set(names)
    shown = next(p for p in products if p["slug"] == camera.slug)
    assert shown["categories"] == [
        {"slug": "flash", "name": "Flash", "name_zh": ""},
        {"slug": "lens", "name": "Lens", "name_zh": "镜头"},
    ]


def test_a_product_without_categories_lists_none(client):
    Product.objects.create(slug="kettle", name="Kettle", tagline="Boils")
    (kettle,) = client.get("/api/v1/products").json()
    assert kettle == {
        "slug": "kettle",
        "name": "Kettle",
        "tagline": "Boils",
        "name_zh": "",
        "tagline_zh": "",
        "categories": [],
    }


def test_a_new_product_or_category_shows_at_once(recorder, client):
    assert [p["slug"] for p in client.get("/api/v1/products").json()] == [recorder.slug]
    Product.objects.create(slug="amp", name="Amp")
    Category.objects.create(product=recorder, slug="noise", name="Noise")
    products = client.get("/api/v1/products").json()
    assert [p["slug"] for p in products] == ["amp", recorder.slug]
    assert "noise" in [c["slug"] for c in products[1]["categories"]]
