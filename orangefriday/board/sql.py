"""The raw SQL of the board's busiest reads (the ORM compiled each query anew on every
call; see README, "Performance"). Table names come from `_meta.db_table`; plain SQL both
databases run; tested on SQLite and PostgreSQL through the routes that use them
(tests/test_products_api.py)."""

from typing import Any

from django.db import connection

from .models import Category, Product

_PRODUCTS = """
SELECT p.id, p.slug, p.name, p.tagline, p.name_zh, p.tagline_zh, c.slug, c.name, c.name_zh
FROM {product} p LEFT JOIN {category} c ON c.product_id = p.id
ORDER BY p.name, p.id, c.name, c.id
"""


def products_with_categories() -> list[dict[str, Any]]:
    """Every product by name, each with its categories by name, both in both languages
    (the shape of schemas.ProductOut), in one statement."""
    quote = connection.ops.quote_name
    statement = _PRODUCTS.format(
        product=quote(Product._meta.db_table), category=quote(Category._meta.db_table)
    )
    with connection.cursor() as cursor:
        cursor.execute(statement)
        rows = cursor.fetchall()
    products: dict[int, dict[str, Any]] = {}
    for product_id, slug, name, tagline, name_zh, tagline_zh, *category in rows:
        if product_id not in products:
            products[product_id] = {
                "slug": slug,
                "name": name,
                "tagline": tagline,
                "name_zh": name_zh,
                "tagline_zh": tagline_zh,
                "categories": [],
            }
        category_slug, category_name, category_name_zh = category
        if category_slug is not None:  # the LEFT JOIN's row of a product without any
            products[product_id]["categories"].append(
                {"slug": category_slug, "name": category_name, "name_zh": category_name_zh}
            )
    return list(products.values())
