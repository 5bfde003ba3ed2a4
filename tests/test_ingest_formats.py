"""AO3 HTML download and EPUB readers, on files built here from our own text."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from narrate.errors import InputError
from narrate.ingest import load_work
from narrate.model import Work


def paragraphs(work: Work) -> list[str]:
    return [work.text[p.start : p.end] for _, _, p in work.paragraphs()]


def chapter_text(work: Work, index: int) -> list[str]:
    chapter = work.chapters[index - 1]
    return [work.text[p.start : p.end] for _, p in chapter.paragraphs()]


# --- AO3 HTML ------------------------------------------------------------------

AO3_MULTI = """<!DOCTYPE html>
<html><head><meta charset="UTF-8"/><title>The Kite Mender - Ilsa_Writes - Original Work</title></head>
<body>
<div id="preface">
  <h2 class="toc-heading">Preface</h2>
  <p class="message"><b>The Kite Mender</b><br/>Posted originally on the Archive of Our Own.</p>
  <div class="meta">
    <dl class="tags">
      <dt>Rating:</dt><dd><a href="#">Teen And Up Audiences</a></dd>
      <dt>Archive Warning:</dt><dd><a href="#">No Archive Warnings Apply</a></dd>
      <dt>Fandom:</dt><dd><a href="#">Original Work</a></dd>
      <dt>Relationship:</dt><dd><a href="#">Tamsin/Orrin</a></dd>
      <dt>Character:</dt><dd><a href="#">Tamsin Reed</a>, <a href="#">Orrin Blake</a>, <a href="#">The Wind, Probably</a></dd>
      <dt>Additional Tags:</dt><dd><a href="#">Kites</a>, <a href="#">Fluff</a></dd>
      <dt>Language:</dt><dd>English</dd>
      <dt>Series:</dt><dd>Part 2 of <a href="#">Paper Skies</a></dd>
      <dt>Stats:</dt><dd>Published: 2026-01-02 Words: 300 Chapters: 2/2</dd>
    </dl>
    <h1>The Kite Mender</h1>
    <div class="byline">by <a rel="author" href="#">Ilsa_Writes</a></div>
    <p>Summary</p>
    <blockquote class="userstuff"><p>Tamsin fixes kites.</p><p>Orrin breaks them on purpose.</p></blockquote>
    <p>Notes</p>
    <blockquote class="userstuff"><p>WORK NOTE: thanks to my beta.</p></blockquote>
  </div>
</div>
<div id="chapters" class="userstuff">
  <div class="meta group">
    <h2 class="heading">Chapter 1: Torn Paper</h2>
    <p>Chapter Summary</p>
    <blockquote class="userstuff"><p>CHAPTER SUMMARY: the first kite.</p></blockquote>
    <p>Chapter Notes</p>
    <blockquote class="userstuff"><p>CHAPTER NOTE: short one.</p></blockquote>
  </div>
  <div class="userstuff">
    <p>The first kite came in with a hole the size of a fist.</p>
    <p>&#8220;It was the wind,&#8221; said Orrin.</p>
    <p>&nbsp;</p>
    <hr/>
    <p>Tamsin did not believe him.<br/>Nobody would have.</p>
    <p align="center">* * *</p>
    <p>By evening the kite <em>flew</em> again.</p>
  </div>
  <div class="meta group">
    <p>Chapter End Notes</p>
    <blockquote class="userstuff"><p>CHAPTER END NOTE: more soon.</p></blockquote>
  </div>
  <div class="meta group">
    <h2 class="heading">Chapter 2</h2>
  </div>
  <div class="userstuff">
    <p>The second kite was green.</p>
  </div>
</div>
<div id="afterword">
  <div class="meta">
    <h2 class="toc-heading">Afterword</h2>
    <p>End Notes</p>
    <blockquote class="userstuff"><p>WORK END NOTE: goodbye.</p></blockquote>
  </div>
</div>
</body></html>
"""

AO3_ONE_SHOT = """<html><head><title>Lantern Season</title></head><body>
<div id="preface"><div class="meta">
  <dl class="tags"><dt>Fandom:</dt><dd><a>Original Work</a></dd></dl>
  <h1>Lantern Season</h1><div class="byline">by <a rel="author">Someone</a></div>
</div></div>
<div id="chapters" class="userstuff">
  <p>Only one chapter here.</p>
  <p>And a second paragraph.</p>
</div>
</body></html>
"""


def test_ao3_html_download(tmp_path: Path) -> None:
    path = tmp_path / "kite.html"
    path.write_text(AO3_MULTI, encoding="utf-8")
    work = load_work(path)
    assert work.format == "ao3-html"
    meta = work.meta
    assert (meta.title, meta.author) == ("The Kite Mender", "Ilsa_Writes")
    assert meta.summary == "Tamsin fixes kites.\n\nOrrin breaks them on purpose."
    assert meta.notes == "WORK NOTE: thanks to my beta."
    assert meta.end_notes == "WORK END NOTE: goodbye."
    assert meta.rating == "Teen And Up Audiences"
    assert meta.tags["Characters"] == ("Tamsin Reed", "Orrin Blake", "The Wind, Probably")
    assert meta.tags["Series"] == ("Part 2 of Paper Skies",)
    assert meta.language == "en"
    first, second = work.chapters
    assert (first.title, first.heading) == ("Torn Paper", "Chapter 1: Torn Paper")
    assert (second.title, second.heading) == (None, "Chapter 2")
    assert first.summary == "CHAPTER SUMMARY: the first kite."
    assert first.notes == "CHAPTER NOTE: short one."
    assert first.end_notes == "CHAPTER END NOTE: more soon."
    assert chapter_text(work, 1) == [
        "The first kite came in with a hole the size of a fist.",
        "“It was the wind,” said Orrin.",
        "Tamsin did not believe him.\nNobody would have.",
        "By evening the kite flew again.",
    ]
    # <hr> and a centred "* * *" paragraph are scene breaks.
    assert [len(s.paragraphs) for s in first.scenes] == [2, 1, 1]
    assert chapter_text(work, 2) == ["The second kite was green."]
    assert "NOTE" not in "".join(paragraphs(work)) and "SUMMARY" not in "".join(paragraphs(work))


def test_ao3_html_one_shot(tmp_path: Path) -> None:
    path = tmp_path / "lantern.htm"
    path.write_text(AO3_ONE_SHOT, encoding="utf-8")
    work = load_work(path)
    assert len(work.chapters) == 1
    assert work.meta.title == "Lantern Season"
    assert paragraphs(work) == ["Only one chapter here.", "And a second paragraph."]


def test_generic_html_headings(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html lang='en'><body><h1>A Book</h1><h2>Chapter 1: Start</h2><p>One.</p>"
        "<h2>Chapter 2: End</h2><p>Two.</p><p>Three.</p></body></html>",
        encoding="utf-8",
    )
    work = load_work(path)
    assert work.meta.title == "A Book" and work.meta.language == "en"
    assert [c.title for c in work.chapters] == ["Start", "End"]
    assert paragraphs(work) == ["One.", "Two.", "Three."]


# --- EPUB ------------------------------------------------------------------------


def _xhtml(body: str, title: str = "x") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
        f'xmlns:epub="http://www.idpf.org/2007/ops"><head><title>{title}</title></head><body>{body}</body></html>'
    )


CONTENT = {
    "OEBPS/text/cover.xhtml": _xhtml('<div class="cover"><p>COVER TEXT</p></div>'),
    "OEBPS/text/title.xhtml": _xhtml("<h1>The Tin Orchard</h1><p>TITLE PAGE by Bram Oake</p>"),
    "OEBPS/text/part1.xhtml": _xhtml(
        '<h2 id="c1">Chapter 1: Seeds</h2><p>Apples were planted in tin.</p><p>They grew anyway.</p>'
        "<hr/><p>Years went by.</p>"
        '<h2 id="c2">Chapter 2: Rust</h2><p>The rain came.</p>'
    ),
    "OEBPS/text/part2.xhtml": _xhtml("<h2>Chapter 3: Harvest</h2><p>They picked in autumn.</p>"),
    "OEBPS/text/part2b.xhtml": _xhtml("<p>The continuation of chapter three.</p>"),
}

NAV = _xhtml(
    '<nav epub:type="toc"><h1>Contents</h1><ol>'
    '<li><a href="text/cover.xhtml">Cover</a></li>'
    '<li><a href="text/part1.xhtml#c1">Chapter 1: Seeds</a></li>'
    '<li><a href="text/part1.xhtml#c2">Chapter 2: Rust</a></li>'
    '<li><a href="text/part2.xhtml">Chapter 3: Harvest</a></li>'
    "</ol></nav>"
)

NCX = """<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><navMap>
<navPoint id="n1"><navLabel><text>Chapter 1: Seeds</text></navLabel><content src="text/part1.xhtml#c1"/></navPoint>
<navPoint id="n2"><navLabel><text>Chapter 2: Rust</text></navLabel><content src="text/part1.xhtml#c2"/></navPoint>
<navPoint id="n3"><navLabel><text>Chapter 3: Harvest</text></navLabel><content src="text/part2.xhtml"/></navPoint>
</navMap></ncx>"""


def make_epub(path: Path, *, nav: bool, ncx: bool) -> Path:
    items = [
        ("cover", "text/cover.xhtml", ""),
        ("title", "text/title.xhtml", ""),
        ("p1", "text/part1.xhtml", ""),
        ("p2", "text/part2.xhtml", ""),
        ("p2b", "text/part2b.xhtml", ""),
    ]
    manifest = "".join(
        f'<item id="{i}" href="{h}" media-type="application/xhtml+xml"{p}/>' for i, h, p in items
    )
    if nav:
        manifest += (
            '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        )
    if ncx:
        manifest += '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
    spine = "".join(f'<itemref idref="{i}"/>' for i, _, _ in items)
    toc_attr = ' toc="ncx"' if ncx else ""
    opf = (
        '<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>The Tin Orchard</dc:title>'
        "<dc:creator>Bram Oake</dc:creator><dc:language>en</dc:language>"
        "<dc:description>&lt;p&gt;Apples, tin, patience.&lt;/p&gt;</dc:description></metadata>"
        f"<manifest>{manifest}</manifest><spine{toc_attr}>{spine}</spine></package>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        zf.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
            '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
        )
        zf.writestr("OEBPS/content.opf", opf)
        for name, body in CONTENT.items():
            zf.writestr(name, body)
        if nav:
            zf.writestr("OEBPS/nav.xhtml", NAV)
        if ncx:
            zf.writestr("OEBPS/toc.ncx", NCX)
    return path


@pytest.mark.parametrize(("nav", "ncx"), [(True, False), (False, True), (True, True)])
def test_epub_chapters_from_toc(tmp_path: Path, nav: bool, ncx: bool) -> None:
    work = load_work(make_epub(tmp_path / "orchard.epub", nav=nav, ncx=ncx))
    assert work.format == "epub"
    assert (work.meta.title, work.meta.author, work.meta.language) == (
        "The Tin Orchard",
        "Bram Oake",
        "en",
    )
    assert work.meta.summary == "Apples, tin, patience."
    assert [c.title for c in work.chapters] == ["Seeds", "Rust", "Harvest"]
    # Two chapters share part1.xhtml via anchors; part2b continues chapter 3.
    assert chapter_text(work, 1) == [
        "Apples were planted in tin.",
        "They grew anyway.",
        "Years went by.",
    ]
    assert [len(s.paragraphs) for s in work.chapters[0].scenes] == [2, 1]
    assert chapter_text(work, 2) == ["The rain came."]
    assert chapter_text(work, 3) == ["They picked in autumn.", "The continuation of chapter three."]
    body = "".join(paragraphs(work))
    assert "COVER TEXT" not in body and "TITLE PAGE" not in body and "Contents" not in body
    for _, _, p in work.paragraphs():
        piece = work.text[p.start : p.end]
        assert piece and not piece[0].isspace() and not piece[-1].isspace()


def test_epub_without_toc_uses_spine_files(tmp_path: Path) -> None:
    work = load_work(make_epub(tmp_path / "notoc.epub", nav=False, ncx=False))
    # Cover and title page are skipped; h2 headings split part1.xhtml in two.
    assert [c.title for c in work.chapters] == ["Seeds", "Rust", "Harvest"]
    assert chapter_text(work, 3) == ["They picked in autumn.", "The continuation of chapter three."]
    assert "COVER TEXT" not in "".join(paragraphs(work))


def test_epub_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(broken, "w") as zf:
        zf.writestr("mimetype", "application/epub+zip")
    with pytest.raises(InputError, match=r"container\.xml is missing"):
        load_work(broken)
    fake = tmp_path / "fake.epub"
    fake.write_text("plain words", encoding="utf-8")
    with pytest.raises(InputError, match="not a zip"):
        load_work(fake)
