"""The printable certificate: one A4 landscape page with the QR code and the code."""

import importlib.util
import io
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF

from certificates.images import qr_png

PAGE_WIDTH, PAGE_HEIGHT = 297, 210  # A4 landscape, in millimetres
MARGIN = 18
NAME_WIDTH = PAGE_WIDTH - 2 * MARGIN - 20


def font_folder():
    """DejaVu, which covers Latin, Greek and Cyrillic, as matplotlib ships it.

    The package is located without importing it, which would be slow."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the certificate fonts come with matplotlib; install it")
    return Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf"


@dataclass(frozen=True)
class Labels:
    """The fixed wording, so that a caller can print it in another language."""

    heading: str = "Certificate of completion"
    awarded_to: str = "is awarded to"
    for_track: str = "for completing the track"
    issued: str = "Issued"
    valid_until: str = "Valid until"
    code: str = "Code"
    scan: str = "Scan the QR code or enter the code at"


def certificate_pdf(
    *,
    holder,
    track,
    issuer,
    issued,
    code,
    url,
    lookup_url,
    valid_until=None,
    labels=None,
):
    """PDF bytes of a certificate. Dates come as text, formatted by the caller."""
    labels = labels or Labels()
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_title(f"{labels.heading}: {holder}")
    pdf.set_author(issuer)
    pdf.set_auto_page_break(False)
    folder = font_folder()
    pdf.add_font("Sans", "", folder / "DejaVuSans.ttf")
    pdf.add_font("Sans", "B", folder / "DejaVuSans-Bold.ttf")
    pdf.add_font("Serif", "B", folder / "DejaVuSerif-Bold.ttf")
    # Letters the serif face lacks (Arabic, Hebrew, Armenian) come from the sans.
    pdf.set_fallback_fonts(["Sans"], exact_match=False)
    pdf.add_page()

    pdf.set_draw_color(13, 110, 253)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, PAGE_WIDTH - 20, PAGE_HEIGHT - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, PAGE_WIDTH - 26, PAGE_HEIGHT - 26)

    def centred(text, y, family, style, size, colour=(33, 37, 41)):
        pdf.set_font(family, style, size)
        pdf.set_text_color(*colour)
        pdf.set_xy(MARGIN, y)
        pdf.cell(PAGE_WIDTH - 2 * MARGIN, size * 0.5, text, align="C")

    centred(issuer, 26, "Sans", "B", 14, (13, 110, 253))
    centred(labels.heading, 40, "Serif", "B", 30)
    centred(labels.awarded_to, 62, "Sans", "", 13, (90, 90, 90))
    name_block(pdf, holder)
    centred(labels.for_track, 96, "Sans", "", 13, (90, 90, 90))
    centred(track, 106, "Sans", "B", fitting_size(pdf, track, "Sans", "B", 22))

    pdf.set_text_color(33, 37, 41)
    facts = [(labels.issued, issued)]
    if valid_until:
        facts.append((labels.valid_until, valid_until))
    facts.append((labels.code, code))
    y = 138
    for label, value in facts:
        pdf.set_xy(MARGIN + 10, y)
        pdf.set_font("Sans", "", 11)
        pdf.cell(32, 7, label)
        pdf.set_font("Sans", "B", 12 if label != labels.code else 14)
        pdf.cell(110, 7, value)
        y += 9
    pdf.set_xy(MARGIN + 10, y + 4)
    pdf.set_font("Sans", "", 9)
    pdf.set_text_color(90, 90, 90)
    pdf.multi_cell(140, 4.5, f"{labels.scan} {lookup_url}")

    qr_size = 48
    qr_x, qr_y = PAGE_WIDTH - MARGIN - 10 - qr_size, 130
    pdf.image(io.BytesIO(qr_png(url)), x=qr_x, y=qr_y, w=qr_size, h=qr_size)
    pdf.set_font("Sans", "", 7.5)
    pdf.set_xy(qr_x - 60, qr_y + qr_size + 1)
    pdf.cell(qr_size + 60, 3.5, url, align="R")
    return bytes(pdf.output())


def name_block(pdf, holder):
    """The name on one line, as large as fits; a name too long for that goes on
    two lines, centred in the same space."""
    pdf.set_text_color(33, 37, 41)
    size = fitting_size(pdf, holder, "Serif", "B", 34, smallest=20)
    pdf.set_font("Serif", "B", size)
    if pdf.get_string_width(holder) <= NAME_WIDTH:
        pdf.set_xy(MARGIN, 74)
        pdf.cell(PAGE_WIDTH - 2 * MARGIN, size * 0.5, holder, align="C")
        return
    for size in range(24, 7, -1):
        pdf.set_font("Serif", "B", size)
        lines = pdf.multi_cell(
            NAME_WIDTH, size * 0.45, holder, align="C", dry_run=True, output="LINES"
        )
        if len(lines) <= 2:
            break
    pdf.set_xy((PAGE_WIDTH - NAME_WIDTH) / 2, 70)
    pdf.multi_cell(NAME_WIDTH, size * 0.45, holder, align="C")


def missing_letters(text):
    """The letters of a text that the certificate's fonts cannot print.

    DejaVu covers Latin, Greek, Cyrillic, Arabic, Hebrew and more, not Chinese,
    Japanese, Korean, Indic scripts or emoji: those would print as gaps."""
    covered = covered_letters()
    return sorted({c for c in text if not c.isspace() and ord(c) not in covered})


_covered = None


def covered_letters():
    global _covered
    if _covered is None:
        folder = font_folder()
        _covered = set()
        for name in ("DejaVuSans.ttf", "DejaVuSerif-Bold.ttf"):
            with TTFont(folder / name, lazy=True) as font:
                _covered |= set(font.getBestCmap())
    return _covered


def fitting_size(pdf, text, family, style, largest, smallest=12):
    """The largest font size, down to a floor, at which the text fits one line."""
    size = largest
    while size > smallest:
        pdf.set_font(family, style, size)
        if pdf.get_string_width(text) <= NAME_WIDTH:
            break
        size -= 1
    return size
