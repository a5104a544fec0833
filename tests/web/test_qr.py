"""QR codes a phone camera can read."""

import re

import numpy as np
import pytest
import zxingcpp

from facilitator.web.qr import qr_svg

RUN = re.compile(r"M(\d+),(\d+)h(\d+)v1h-\d+z")


def read_qr_svg(svg: str) -> list[str]:
    """Draw the SVG's modules as pixels, as a camera would see them, and decode them."""
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    modules = np.zeros((size, size), dtype=bool)
    for x, y, length in RUN.findall(re.search(r'<path fill="#000" d="([^"]*)"', svg).group(1)):
        modules[int(y), int(x) : int(x) + int(length)] = True
    pixels = np.where(np.kron(modules, np.ones((8, 8), dtype=bool)), 0, 255).astype(np.uint8)
    return [result.text for result in zxingcpp.read_barcodes(pixels)]


@pytest.mark.parametrize(
    "link",
    [
        "http://192.168.1.20:5000/join/K7MQTRA",
        "https://facilitator.council.example/join/invite/" + "Ab-_9" * 7,
    ],
)
def test_the_svg_decodes_to_the_link(link):
    assert read_qr_svg(qr_svg(link)) == [link]


def test_the_svg_has_a_white_quiet_zone_and_no_inline_style():
    svg = str(qr_svg("http://localhost/join/K7MQTRA", label="Join code"))
    assert '<rect width="' in svg and 'fill="#fff"' in svg
    assert "style=" not in svg
    assert 'role="img" aria-label="Join code"' in svg
    assert 'aria-hidden="true"' in str(qr_svg("x"))
