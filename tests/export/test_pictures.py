"""agenda.png of the default event: every label readable inside the picture, and a legend of its shadings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from scheduler import release
from scheduler.export.pictures import agenda_figure, agenda_picture
from scheduler.load import load_event
from scheduler.views import PlanView, build_view
from tests.factories import GENERATED


@pytest.fixture(scope="module")
def view() -> PlanView:
    ev = load_event("data/gcm2020-unece")
    return build_view(ev, release.plan(ev, generated_at=GENERATED, time_limit=60))


@pytest.fixture
def figure(view: PlanView) -> Iterator[Figure]:
    drawn = agenda_figure(view)
    drawn.canvas.draw()
    yield drawn
    plt.close(drawn)


def test_agenda_every_label_lies_inside_the_picture(figure: Figure) -> None:
    renderer = figure.canvas.get_renderer()
    page = figure.bbox
    texts = [t for t in figure.findobj(Text) if t.get_visible() and t.get_text()]
    labels = {t.get_text() for axis in figure.axes for t in axis.get_yticklabels()}
    # The longest row labels, which list a zone's cities, were cut at the left edge before.
    assert any(", ... (" in label for label in labels)
    for text in texts:
        box = text.get_window_extent(renderer)
        assert page.x0 <= box.x0 and box.x1 <= page.x1, text.get_text()
        assert page.y0 <= box.y0 and box.y1 <= page.y1, text.get_text()


def test_agenda_legend_names_each_shading(figure: Figure) -> None:
    (legend,) = figure.legends
    assert [t.get_text() for t in legend.get_texts()] == [
        "local working hours, 08:00-18:00",
        "local early morning 07:00-08:00 or evening 18:00-22:00",
        "local night, 22:00-07:00",
        "break",
    ]


def test_agenda_picture_is_the_same_bytes_for_the_same_plan(view: PlanView, tmp_path: Path) -> None:
    agenda_picture(view, tmp_path / "a.png")
    agenda_picture(view, tmp_path / "b.png")
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
