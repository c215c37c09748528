"""Fill the English catalogue: our source texts are English, so each text is its own
translation. Run by `make messages` after the catalogues are updated."""

from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOGUE = Path(__file__).parent / "en" / "LC_MESSAGES" / "messages.po"


def main():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="en")
    for message in catalogue:
        strings = message.string if message.pluralizable else (message.string,)
        if message.id and (not all(strings) or message.fuzzy):
            message.string = message.id
            message.flags.discard("fuzzy")
    with CATALOGUE.open("wb") as handle:
        write_po(handle, catalogue, width=88)


if __name__ == "__main__":
    main()
