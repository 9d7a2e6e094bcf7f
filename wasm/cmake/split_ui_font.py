#!/usr/bin/python3
"""Splits the UI font (web/assets/fonts/make_ui_font.py: Noto Sans with Symbola emoji merged in)
into the two files the page loads: the text font, fetched at start with the module, and the emoji,
fetched after the first interactive frame (wasm/imgui_host.cpp merges them into the atlas then).

  text   the code points the text font (Noto Sans) has, plus the zero-width variation selectors
         and skin tone modifiers (so they never draw as the fallback glyph, emoji loaded or not);
         keeps the name table with Noto's copyright and license records
  emoji  every other code point of the UI font (the Symbola outlines), without a name table

Both keep the UI font's outlines as they are (already cut, scaled and rounded): together they draw
what the one file drew. About 45 KB of the 103 KB (gzip) were the emoji.

Usage: split_ui_font.py --font UI_FONT --text-font NOTO --text-output OUT --emoji-output OUT
"""
import argparse
import logging
import os

from fontTools import subset
from fontTools.ttLib import TTFont

ZERO_WIDTH = [0xFE0E, 0xFE0F] + list(range(0x1F3FB, 0x1F400))


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
    parser.add_argument('--text-output', required=True)
    parser.add_argument('--emoji-output', required=True)
    args = parser.parse_args()
    logging.getLogger('fontTools').setLevel(logging.ERROR)

    ui = set(TTFont(args.font).getBestCmap())
    text_source = set(TTFont(args.text_font).getBestCmap())
    text = {cp for cp in ui if cp in text_source or cp in ZERO_WIDTH}
    emoji = ui - text
    if not emoji:
        raise SystemExit('split_ui_font: the UI font has no code point the text font lacks')
    cut(args.font, sorted(text), True, args.text_output)
    cut(args.font, sorted(emoji), False, args.emoji_output)


if __name__ == '__main__':
    main()
