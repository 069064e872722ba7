"""Templates point one way: the check `make lint` runs, on the real templates and on a
template that breaks the order."""

from orangefriday.core import layers


def test_the_order_is_the_layers_contract():
    order = layers.app_order()
    assert order[:5] == ["core", "accounts", "ranking", "notifications", "board"]
    assert order.index("voting") < order.index("releases") < order.index("feedback")


def test_no_template_of_an_earlier_app_uses_a_later_app():
    assert layers.offences() == []


def test_an_include_of_a_later_apps_partial_is_caught(monkeypatch, tmp_path):
    board = tmp_path / "orangefriday" / "board" / "templates" / "board"
    board.mkdir(parents=True)
    (board / "bad.html").write_text('{% include "voting/vote_button.html" %}')
    (tmp_path / "pyproject.toml").write_text((layers.ROOT / "pyproject.toml").read_text())
    monkeypatch.setattr(layers, "ROOT", tmp_path)
    monkeypatch.setattr(layers, "PACKAGE", tmp_path / "orangefriday")
    assert layers.offences() == [
        "orangefriday/board/templates/board/bad.html: board uses voting's template"
    ]
