"""QR codes and baked badges: the credential inside a PNG, as Open Badges bakes it."""

import io

import qrcode
from PIL import Image, ImageDraw, PngImagePlugin

BAKING_KEYWORD = "openbadges"
MAX_PNG_BYTES = 8 * 1024 * 1024


def qr_png(url, box_size=10):
    """A QR code for the URL, as PNG bytes, with error correction for print."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=4
    )
    code.add_data(url)
    code.make(fit=True)
    output = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(output, format="PNG")
    return output.getvalue()


def badge_image(title, size=400):
    """A plain round badge with the track's title, for baking into."""
    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, size - 8, size - 8), fill="#0d6efd")
    draw.ellipse((28, 28, size - 28, size - 28), outline="white", width=4)
    draw.text(
        (size / 2, size / 2 - 14),
        "SRO Academy",
        fill="white",
        anchor="mm",
        font_size=30,
    )
    draw.text((size / 2, size / 2 + 24), title, fill="white", anchor="mm", font_size=22)
    return image


def bake(token, image):
    """Return PNG bytes of the image with the signed credential in one iTXt chunk."""
    info = PngImagePlugin.PngInfo()
    info.add_itxt(BAKING_KEYWORD, token, zip=False)
    output = io.BytesIO()
    image.save(output, format="PNG", pnginfo=info)
    return output.getvalue()


def unbake(data):
    """The credential baked into PNG bytes, or None if there is none."""
    if len(data) > MAX_PNG_BYTES:
        return None
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                return None
            # The chunks before the pixel data are read on opening; the pixels
            # themselves are never decoded, so a huge image costs nothing.
            value = image.info.get(BAKING_KEYWORD)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return str(value) if value is not None else None
