#!/usr/bin/python3
"""Builds the UI font: Noto Sans cut to the scripts the UI shows, with monochrome emoji merged in.

Dear ImGui 1.86 rasterises TrueType outlines only (no colour tables), and its atlas is static, so
the font must hold every glyph the UI can draw. One file keeps the page's single font fetch.

  text font   Noto Sans Regular (fonts-noto-core, SIL OFL 1.1): --text-unicodes
  emoji       Symbola (fonts-symbola; "free for any use"): --emoji-unicodes, the most used emoji
              (faces, hands, hearts, common symbols). Its outlines are scaled to Noto's units per
              em and their points rounded to a --grid of font units (4/1000 em is a twelfth of a
              pixel at the largest size drawn on a 3x screen), which removes points that fall
              together; that and the subset keep the download small.
  zero width  U+FE0E/U+FE0F (variation selectors) and U+1F3FB-1F3FF (skin tone modifiers) map to
              an empty glyph without advance: "thumbs up, medium skin tone" draws as a thumbs up
              instead of a thumbs up followed by a box.

Hinting and layout tables (GSUB/GPOS/GDEF/kern) are dropped: ImGui uses neither.

Usage: make_ui_font.py --text-font F --text-unicodes R --emoji-font F --emoji-unicodes R
                       --output OUT [--grid N]
Ranges are pyftsubset's syntax: "U+0020-024F,U+2764,...".
"""
import argparse
import logging
import os
import sys
import tempfile
from array import array

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from fontTools.ttLib.tables._g_l_y_f import GlyphCoordinates

ZERO_WIDTH = [0xFE0E, 0xFE0F] + list(range(0x1F3FB, 0x1F400))


def parse_unicodes(spec):
    out = []
    for part in spec.split(','):
        part = part.strip().upper().replace('U+', '')
        if not part:
            continue
        if '-' in part:
            first, last = part.split('-')
            out.extend(range(int(first, 16), int(last, 16) + 1))
        else:
            out.append(int(part, 16))
    return out


def cut(path, unicodes, keep_names):
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.drop_tables += ['GSUB', 'GPOS', 'GDEF', 'kern', 'DSIG']
    options.name_IDs = ['*'] if keep_names else []
    font = TTFont(path)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    return font


def round_points(font, grid):
    """Rounds simple glyphs' points to `grid` units, dropping points that coincide."""
    glyf = font['glyf']
    for name in font.getGlyphOrder():
        glyph = glyf[name]
        if glyph.numberOfContours <= 0:  # empty or composite
            continue
        coords, flags = glyph.coordinates, glyph.flags
        new_coords, new_flags, ends = [], array('B'), []
        start = 0
        for end in glyph.endPtsOfContours:
            points = []
            for i in range(start, end + 1):
                p = (int(round(coords[i][0] / grid)) * grid, int(round(coords[i][1] / grid)) * grid)
                if points and points[-1][0] == p:
                    continue
                points.append((p, flags[i]))
            while len(points) > 1 and points[0][0] == points[-1][0]:
                points.pop()
            if len(points) >= 3:  # a contour that still encloses something
                new_coords.extend(p for p, _ in points)
                new_flags.extend(f for _, f in points)
                ends.append(len(new_coords) - 1)
            start = end + 1
        glyph.coordinates = GlyphCoordinates(new_coords)
        glyph.flags = new_flags
        glyph.endPtsOfContours = ends
        glyph.numberOfContours = len(ends)
        if not ends:
            glyph.program = None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--text-font', required=True)
    parser.add_argument('--text-unicodes', required=True)
    parser.add_argument('--emoji-font', required=True)
    parser.add_argument('--emoji-unicodes', required=True)
    parser.add_argument('--output', required=True)
    parser.add_argument('--grid', type=int, default=4)
    args = parser.parse_args()
    logging.getLogger('fontTools').setLevel(logging.ERROR)  # "dropped cmap subtable" notes

    text = cut(args.text_font, parse_unicodes(args.text_unicodes), keep_names=True)
    emoji_unicodes = parse_unicodes(args.emoji_unicodes)
    emoji = cut(args.emoji_font, emoji_unicodes + ZERO_WIDTH, keep_names=False)
    if emoji['head'].unitsPerEm != text['head'].unitsPerEm:
        scale_upem(emoji, text['head'].unitsPerEm)
    if args.grid > 1:
        round_points(emoji, args.grid)

    # Zero-width code points all use one empty glyph with no advance.
    cmap = emoji.getBestCmap()
    blank = cmap.get(0xFE0F)
    if blank is None or emoji['hmtx'][blank][0] != 0:
        sys.exit('make_ui_font: the emoji font has no zero-width U+FE0F')
    for table in emoji['cmap'].tables:
        if table.isUnicode():
            for cp in ZERO_WIDTH:
                if cp <= 0xFFFF or table.format in (12, 13):
                    table.cmap[cp] = blank
    missing = [cp for cp in emoji_unicodes if cp not in emoji.getBestCmap()]

    with tempfile.TemporaryDirectory() as tmp:
        paths = [os.path.join(tmp, 'text.ttf'), os.path.join(tmp, 'emoji.ttf')]
        text.save(paths[0])
        emoji.save(paths[1])
        merged = Merger().merge(paths)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    merged.save(args.output)
    if missing:
        print('make_ui_font: not in the emoji font (drawn as the fallback box): ' +
              ' '.join('U+%04X' % cp for cp in missing))


if __name__ == '__main__':
    main()
