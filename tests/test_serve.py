"""The HTTP server, exercised over loopback with raw http.client requests."""

from __future__ import annotations

import http.client
import io
import json
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import podcastparser
import pytest
from test_feed import TINY_WORK, make_mp3, make_work, render_tiny

from narrate.errors import InputError, NarrateError
from narrate.serve import (
    NarrateServer,
    feed_base_url,
    lan_address,
    make_server,
    parse_range,
    rebuild_feed,
)


@contextmanager
def running(root: Path, **kwargs: bool) -> Iterator[NarrateServer]:
    server = make_server(root, "127.0.0.1", 0, **kwargs)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def request(
    server: NarrateServer, path: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """Send ``path`` exactly as given: http.client does not normalise it."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for key, value in (headers or {}).items():
            conn.putheader(key, value)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    (root / "book" / "chapters").mkdir(parents=True)
    make_mp3(root / "book" / "chapters" / "01-one.mp3", 3.0, tmp_path)
    for name, data in {
        "book.m4b": b"\0\0\0\x20ftypM4B " + bytes(range(256)) * 4,
        "book.vtt": b"WEBVTT\n",
        "book.srt": b"1\n00:00:00,000 --> 00:00:01,000\nHi\n",
        "chapters.json": b'{"version": "1.2.0", "chapters": []}',
        "cover.jpg": b"\xff\xd8\xff\xe0fakejpeg",
    }.items():
        (root / "book" / name).write_bytes(data)
    (root / "feed.xml").write_text("<rss/>", encoding="utf-8")
    (root / ".hidden").write_text("hidden", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("TOP SECRET", encoding="utf-8")
    (root / "escape.txt").symlink_to(tmp_path / "secret.txt")
    (root / "escape-dir").symlink_to(tmp_path)
    (root / "inside.vtt").symlink_to(root / "book" / "book.vtt")
    return root


def test_full_download_is_byte_for_byte_with_the_right_headers(site: Path) -> None:
    mp3 = site / "book" / "chapters" / "01-one.mp3"
    with running(site) as server:
        status, headers, body = request(server, "/book/chapters/01-one.mp3")
        assert status == 200
        assert body == mp3.read_bytes()
        assert headers["Content-Type"] == "audio/mpeg"
        assert headers["Content-Length"] == str(mp3.stat().st_size)
        assert headers["Accept-Ranges"] == "bytes"

        expected = {
            "/book/book.m4b": "audio/mp4",
            "/book/book.vtt": "text/vtt; charset=utf-8",
            "/book/book.srt": "application/x-subrip; charset=utf-8",
            "/book/chapters.json": "application/json",
            "/feed.xml": "application/rss+xml; charset=utf-8",
            "/book/cover.jpg": "image/jpeg",
        }
        for path, kind in expected.items():
            status, headers, body = request(server, path)
            assert (status, headers["Content-Type"]) == (200, kind), path
            assert body == (site / path.lstrip("/")).read_bytes()


def test_range_requests(site: Path) -> None:
    data = (site / "book" / "book.m4b").read_bytes()
    size = len(data)
    cases = {
        "bytes=0-99": (0, 99),
        "bytes=100-": (100, size - 1),
        "bytes=-500": (size - 500, size - 1),
        "bytes=10-10": (10, 10),
        f"bytes=5-{size * 10}": (5, size - 1),
        f"bytes=-{size * 3}": (0, size - 1),
    }
    with running(site) as server:
        for header, (start, end) in cases.items():
            status, headers, body = request(server, "/book/book.m4b", headers={"Range": header})
            assert status == 206, header
            assert headers["Content-Range"] == f"bytes {start}-{end}/{size}"
            assert headers["Content-Length"] == str(end - start + 1)
            assert headers["Content-Type"] == "audio/mp4"
            assert body == data[start : end + 1]

        for header in (f"bytes={size}-", f"bytes={size + 5}-{size + 9}", "bytes=-0"):
            status, headers, body = request(server, "/book/book.m4b", headers={"Range": header})
            assert status == 416, header
            assert headers["Content-Range"] == f"bytes */{size}"
            assert body == b""

        # Ignored, full file: malformed, other units, several ranges, a stale If-Range.
        for extra in (
            {"Range": "bytes=abc"},
            {"Range": "bytes=9-3"},
            {"Range": "items=0-1"},
            {"Range": "bytes=0-1,5-6"},
            {"Range": "bytes=0-1", "If-Range": '"stale"'},
        ):
            status, headers, body = request(server, "/book/book.m4b", headers=extra)
            assert (status, body) == (200, data), extra

        _, headers, _ = request(server, "/book/book.m4b")
        status, _, body = request(
            server, "/book/book.m4b", headers={"Range": "bytes=0-3", "If-Range": headers["ETag"]}
        )
        assert (status, body) == (206, data[:4])
        status, _, body = request(
            server, "/book/book.m4b", headers={"If-None-Match": headers["ETag"]}
        )
        assert (status, body) == (304, b"")


def test_head_sends_headers_only(site: Path) -> None:
    size = (site / "book" / "book.m4b").stat().st_size
    with running(site) as server:
        status, headers, body = request(server, "/book/book.m4b", "HEAD")
        assert (status, body) == (200, b"")
        assert headers["Content-Length"] == str(size)
        assert headers["Accept-Ranges"] == "bytes"
        status, headers, body = request(server, "/book/book.m4b", "HEAD", {"Range": "bytes=-10"})
        assert (status, body, headers["Content-Length"]) == (206, b"", "10")
        assert request(server, "/nope.mp3", "HEAD")[::2] == (404, b"")


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/book/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/book/%2e%2e/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/book/..%2F..%2Fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//..//secret.txt",
        "/escape.txt",
        "/escape-dir/secret.txt",
        "/escape-dir/",
        "/.hidden",
        "/%2ehidden",
        "/feed.xml%00.mp3",
        "/%ff%fe",
        "http://127.0.0.1/../secret.txt",
        "secret.txt",
        "/etc/passwd",
        "/%2fetc%2fpasswd",
        "/book/",
        "/book/chapters",
    ],
)
def test_traversal_symlink_escape_and_listing_attempts_are_404(site: Path, path: str) -> None:
    with running(site) as server:
        status, _, body = request(server, path)
    assert status == 404, path
    assert b"SECRET" not in body and b"hidden" not in body and b"01-one" not in body


def test_symlinks_inside_the_root_are_served(site: Path) -> None:
    with running(site) as server:
        status, _, body = request(server, "/inside.vtt")
    assert (status, body) == (200, b"WEBVTT\n")


def test_listing_only_when_asked(site: Path) -> None:
    with running(site) as server:
        status, _, body = request(server, "/")
        assert status == 200 and b'href="feed.xml"' in body and b"book" not in body
    with running(site, listing=True) as server:
        status, _, body = request(server, "/")
        assert status == 200
        assert b'href="book/"' in body and b'href="feed.xml"' in body
        assert b"hidden" not in body and b"escape" not in body
        status, _, body = request(server, "/book/chapters/")
        assert status == 200 and b"01-one.mp3" in body
        assert request(server, "/escape-dir/")[0] == 404


def test_parse_range_edges() -> None:
    assert parse_range(None, 10) is None
    assert parse_range("bytes=0-0", 10) == (0, 0)
    assert parse_range("BYTES = 2-", 10) == (2, 9)
    assert parse_range("bytes=-3", 10) == (7, 9)
    assert parse_range("bytes=-", 10) is None
    assert parse_range("bytes=1-2-3", 10) is None


def test_bind_problems_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such folder"):
        make_server(tmp_path / "missing", "127.0.0.1", 0)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        with pytest.raises(NarrateError, match=f"cannot listen on 127.0.0.1:{port}"):
            make_server(tmp_path, "127.0.0.1", port)


def test_addresses(tmp_path: Path) -> None:
    lan = lan_address()
    assert lan is None or (not lan.startswith("127.") and socket.inet_aton(lan))
    server = make_server(tmp_path, "127.0.0.1", 0)
    try:
        assert feed_base_url(server, "127.0.0.1") == f"http://127.0.0.1:{server.port}/"
        wide = urlsplit(feed_base_url(server, "0.0.0.0"))
        assert wide.port == server.port and wide.hostname not in ("0.0.0.0", None)
    finally:
        server.server_close()


def test_a_podcast_client_subscribes_over_http(tmp_path: Path) -> None:
    """The served feed's every link works when fetched from the server itself."""
    root = tmp_path / "output"
    make_work(root, "first-work", title="First", chapters=2)
    make_work(root, "second-work", title="Second & Last", chapters=3)
    with running(root) as server:
        base = f"http://127.0.0.1:{server.port}/"
        assert rebuild_feed(root, base) == root / "feed.xml"
        status, _, feed = request(server, "/feed.xml")
        assert status == 200
        parsed = podcastparser.parse(base + "feed.xml", io.BytesIO(feed))
        assert len(parsed["episodes"]) == 5
        for episode in parsed["episodes"]:
            (enclosure,) = episode["enclosures"]
            url = urlsplit(enclosure["url"])
            assert url.port == server.port
            status, headers, body = request(server, url.path)
            assert status == 200 and len(body) == enclosure["file_size"]
            assert headers["Content-Type"] == "audio/mpeg"
            status, _, _ = request(server, url.path, headers={"Range": "bytes=-100"})
            assert status == 206
        import xml.etree.ElementTree as ET

        from narrate.feed import PODCAST

        links = [
            el.get("url") or ""
            for el in ET.fromstring(feed).iter()
            if el.tag in (f"{{{PODCAST}}}chapters", f"{{{PODCAST}}}transcript")
        ]
        assert len(links) == 15  # chapters, VTT and SRT for each of 5 episodes
        for link in links:
            status, _, body = request(server, urlsplit(link).path)
            assert status == 200, link
            if link.endswith(".json"):
                assert json.loads(body)["version"] == "1.2.0"
    assert not any(name.endswith(".tmp") for name in os.listdir(root))


def test_rendered_work_over_http_with_urllib(tmp_path: Path) -> None:
    """Done-when in miniature: real render, served, read by a podcast parser over HTTP."""
    import urllib.request

    work, out = tmp_path / "kettle.md", tmp_path / "out"
    work.write_text(TINY_WORK, encoding="utf-8")
    render_tiny(work, out)
    with running(out) as server:
        base = f"http://127.0.0.1:{server.port}/"
        rebuild_feed(out, base)
        with urllib.request.urlopen(base + "feed.xml", timeout=5) as response:
            parsed = podcastparser.parse(base + "feed.xml", response)
        assert len(parsed["episodes"]) == 2
        for episode in parsed["episodes"]:
            url = episode["enclosures"][0]["url"]
            with urllib.request.urlopen(url, timeout=5) as response:
                body = response.read()
            local = out / urlsplit(url).path.lstrip("/")
            assert body == local.read_bytes()
            assert len(body) == episode["enclosures"][0]["file_size"]
            assert episode["chapters"]  # inline Podlove chapters
            for suffix, check in ((".chapters.json", b'"version": "1.2.0"'), (".vtt", b"WEBVTT")):
                with urllib.request.urlopen(url.replace(".mp3", suffix), timeout=5) as response:
                    assert check in response.read()


def test_cli_serve_refuses_bad_input_in_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from narrate.cli import main

    runner = CliRunner()
    result = runner.invoke(main, ["serve", str(tmp_path), "--base-url", "phone:8000"])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "--base-url" in result.output
    result = runner.invoke(main, ["serve", str(tmp_path / "missing"), "--port", "0"])
    assert result.exit_code == 2 and "no such folder" in result.output


def _read_qr(matrix: list[list[bool]]) -> bytes:
    """Decode our own QR code the long way: format bits, unmask, zigzag, blocks, RS, payload."""
    from narrate.serve import _QR_BLOCKS, _mask_hit, _QrGrid

    size = len(matrix)
    version = (size - 17) // 4
    # Finder patterns in three corners, timing patterns between them.
    for row, col in ((0, 0), (0, size - 7), (size - 7, 0)):
        assert all(matrix[row + i][col] and matrix[row][col + i] for i in range(7))
        assert all(matrix[row + 2 + i][col + 2 + j] for i in range(3) for j in range(3))
    assert [matrix[6][x] for x in range(8, size - 8)] == [x % 2 == 0 for x in range(8, size - 8)]
    # Alignment patterns where ISO/IEC 18004 Annex E puts them (first row: versions 2-6).
    centres = {2: 18, 3: 22, 4: 26, 5: 30, 6: 34}.get(version)
    spec = (
        (6, centres)
        if centres
        else {7: (6, 22, 38), 8: (6, 24, 42), 9: (6, 26, 46)}.get(
            version, (6, 28, 50) if version == 10 else ()
        )
    )
    for cy in spec:
        for cx in spec:
            if (cy, cx) in ((6, 6), (6, spec[-1]), (spec[-1], 6)):
                continue  # the three finder corners
            ring = [[matrix[cy + dy][cx + dx] for dx in range(-2, 3)] for dy in range(-2, 3)]
            assert ring[2][2] and not ring[1][1] and not ring[1][3] and ring[0][0] and ring[4][4]
    # Format information: both copies agree, a valid BCH(15,5) code word, level M.
    first = (
        [(i, 8) for i in range(6)] + [(7, 8), (8, 8), (8, 7)] + [(8, 14 - i) for i in range(9, 15)]
    )
    second = [(8, size - 1 - i) for i in range(8)] + [(size - 15 + i, 8) for i in range(8, 15)]
    raw = sum(int(matrix[row][col]) << i for i, (row, col) in enumerate(first))
    copy2 = sum(int(matrix[row][col]) << i for i, (row, col) in enumerate(second))
    assert raw == copy2
    word = raw ^ 0x5412
    rem = word
    for shift in range(4, -1, -1):  # polynomial division by 0x537
        if rem & (1 << (shift + 10)):
            rem ^= 0x537 << shift
    assert rem == 0 and word >> 13 == 0b00  # error correction level M
    mask = (word >> 10) & 7

    grid = _QrGrid(version)
    stream_bits: list[int] = []
    right = size - 1
    while right >= 1:
        if right == 6:
            right = 5
        upward = ((right + 1) & 2) == 0
        for vert in range(size):
            y = size - 1 - vert if upward else vert
            for x in (right, right - 1):
                if not grid.function[y][x]:
                    stream_bits.append(int(matrix[y][x] ^ _mask_hit(mask, y, x)))
        right -= 2
    stream = bytes(
        int("".join(map(str, stream_bits[i : i + 8])), 2) for i in range(0, len(stream_bits) - 7, 8)
    )
    ec_count, groups = _QR_BLOCKS[version]
    sizes = [size_ for count, size_ in groups for _ in range(count)]
    blocks: list[list[int]] = [[] for _ in sizes]
    at = 0
    for i in range(max(sizes)):
        for b, n in enumerate(sizes):
            if i < n:
                blocks[b].append(stream[at])
                at += 1
    for _ in range(ec_count):
        for block in blocks:
            block.append(stream[at])
            at += 1

    def gf_mul(a: int, b: int) -> int:  # independent of the encoder's tables
        result = 0
        while b:
            if b & 1:
                result ^= a
            a <<= 1
            if a & 0x100:
                a ^= 0x11D
            b >>= 1
        return result

    for block in blocks:  # every syndrome of a clean code word is zero
        alpha = 1
        for _ in range(ec_count):
            value = 0
            for coef in block:
                value = gf_mul(value, alpha) ^ coef
            assert value == 0
            alpha = gf_mul(alpha, 2)
    data = b"".join(bytes(block[:n]) for block, n in zip(blocks, sizes, strict=True))
    bits_str = "".join(f"{byte:08b}" for byte in data)
    assert bits_str[:4] == "0100"  # byte mode
    count_bits = 8 if version < 10 else 16
    length = int(bits_str[4 : 4 + count_bits], 2)
    start = 4 + count_bits
    return bytes(int(bits_str[start + 8 * i : start + 8 * i + 8], 2) for i in range(length))


@pytest.mark.parametrize(
    "text", ["http://192.168.1.20:8000/feed.xml", "http://[fe80::1]:8000/é", "w" * 150, "a"]
)
def test_terminal_qr_code_decodes_back(text: str) -> None:
    from narrate.serve import qr_matrix, qr_text

    for mask in (None, 5):
        assert _read_qr(qr_matrix(text, mask=mask)).decode("utf-8") == text
    lines = qr_text(text).split("\n")
    assert len({len(line) for line in lines}) == 1 and set("".join(lines)) <= set("█▀▄ ")
