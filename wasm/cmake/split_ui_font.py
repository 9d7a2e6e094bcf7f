#!/usr/bin/python3
"""Splits the UI font (web/assets/fonts/make_ui_font.py: Noto Sans with Symbola emoji merged in)
into the two files the page loads: the text font, fetched at start with the module, and the rest,
fetched after the first interactive frame (wasm/imgui_host.cpp merges it into the atlas then).

  text   the code points of --start-unicodes that the text font (Noto Sans) has (Latin up to
         Latin Extended-A, punctuation, currency, arrows: what the UI's own strings and most names
         use), plus the zero-width variation selectors and skin tone modifiers (so they never
         draw as the fallback glyph, the rest loaded or not); keeps the name table with Noto's
         copyright and license records
  rest   every other code point of the UI font: Greek, Cyrillic, Vietnamese and the rest of
         Latin from Noto, and the emoji (the Symbola outlines); without a name table

Both keep the UI font's outlines as they are (already cut, scaled and rounded): together they draw
what the one file drew. Of the UI font's 103 KB gzip, the emoji were 40 KB and Greek, Cyrillic,
Vietnamese and the rest of Latin 36 KB (docs/performance.md, "Transfer size").

Usage: split_ui_font.py --font UI_FONT --text-font NOTO --start-unicodes U+0020-017F,...
                        --text-output OUT --emoji-output OUT
"""
import argparse
import logging
import os

from fontTools import subset
from fontTools.ttLib import TTFont

ZERO_WIDTH = [0xFE0E, 0xFE0F] + list(range(0x1F3FB, 0x1F400))


def parse_unicodes(spec):
    """'U+0020-017F,U+2212' -> the set of code points."""
    out = set()
    for item in spec.split(','):
        first, _, last = item.strip().upper().replace('U+', '').partition('-')
        out.update(range(int(first, 16), int(last or first, 16) + 1))
    return out


def cut(path, unicodes, keep_names, output):
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.drop_tables += ['GSUB', 'GPOS', 'GDEF', 'kern', 'DSIG']
    options.name_IDs = ['*'] if keep_names else []
    options.notdef_outline = True  # the fallback box ImGui draws for missing code points
    font = TTFont(path)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    font.save(output + '.tmp')
    os.replace(output + '.tmp', output)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--font', required=True, help='the UI font (text and emoji)')
    parser.add_argument('--text-font', required=True, help='the text font it was cut from')
    parser.add_argument('--start-unicodes', required=True,
                        help='the code points the text font keeps (U+XXXX or U+XXXX-YYYY, comma-separated)')
    parser.add_argument('--text-output', required=True)
    parser.add_argument('--emoji-output', required=True, help='the rest: fetched after the first frame')
    args = parser.parse_args()
    logging.getLogger('fontTools').setLevel(logging.ERROR)

    ui = set(TTFont(args.font).getBestCmap())
    text_source = set(TTFont(args.text_font).getBestCmap())
    start = parse_unicodes(args.start_unicodes)
    text = {cp for cp in ui if (cp in text_source and cp in start) or cp in ZERO_WIDTH}
    emoji = ui - text
    if not emoji:
        raise SystemExit('split_ui_font: the UI font has no code point the text font lacks')
    cut(args.font, sorted(text), True, args.text_output)
    cut(args.font, sorted(emoji), False, args.emoji_output)


if __name__ == '__main__':
    main()
