"""Serve rendered audiobooks and their feed over HTTP, for a phone on the same network.

Built on ``http.server`` (no dependency) but not on ``SimpleHTTPRequestHandler``,
whose path translation, directory listings and lack of Range support are the
three things a podcast server must get right:

* Containment. The request path is split on ``/`` *before* percent-decoding,
  so ``%2f`` cannot smuggle a separator and ``%2e%2e`` decodes to a ``..``
  segment that is refused like a literal one. Hidden names (``.git``, render's
  ``.tmp`` files) are refused too. The final path is resolved (following
  symlinks) and must still be inside the root; anything else is a 404, never a
  403, so probing learns nothing.
* Range requests. Podcast apps seek and resume with ``Range``: single ranges
  (``a-b``, ``a-``, ``-n``) get 206 with ``Content-Range``; unsatisfiable ones
  416; malformed or multi-range headers are ignored (full 200), as RFC 9110
  allows. ``If-Range`` with a stale validator also gets the full file.
* Listings only with ``listing=True``; otherwise ``/`` is a one-link page
  pointing at the feed, so a phone browser opened on the address shows what to
  subscribe to.

``narrate serve`` rebuilds ``feed.xml`` with the address it listens on before it
starts (see ``feed_base_url``), so the enclosure URLs are the ones the phone
can reach.
"""

from __future__ import annotations

import copy
import email.utils
import html
import itertools
import os
import socket
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote, unquote, urlsplit

from narrate import __version__
from narrate.errors import InputError, NarrateError

CONTENT_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4b": "audio/mp4",
    ".m4a": "audio/mp4",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/rss+xml; charset=utf-8",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".txt": "text/plain; charset=utf-8",
    ".html": "text/html; charset=utf-8",
}
# Text that changes on every render: make apps revalidate instead of caching.
_REVALIDATE = {".xml", ".json", ".vtt", ".srt"}
_CHUNK = 256 * 1024


class Unsatisfiable(Exception):
    """A Range header that no byte of the file satisfies (416)."""


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive byte span a ``Range`` header asks for, or None to send everything."""
    if not header:
        return None
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None  # other units and multipart ranges: ignored, the full file is sent
    first, dash, last = spec.strip().partition("-")
    if not dash or (first and not first.isdigit()) or (last and not last.isdigit()):
        return None
    if not first:
        if not last:
            return None
        length = int(last)  # suffix range: the last N bytes
        if length == 0 or size == 0:
            raise Unsatisfiable
        return max(0, size - length), size - 1
    start = int(first)
    if last and int(last) < start:
        return None  # syntactically invalid: ignore the header
    if start >= size:
        raise Unsatisfiable
    return start, min(int(last), size - 1) if last else size - 1


def resolve_request_path(root: Path, target: str) -> Path | None:
    """The file or folder under ``root`` (already resolved) that ``target`` names, else None."""
    if target.startswith(("http://", "https://")):
        target = urlsplit(target).path  # absolute-form request target
    path = target.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/"):
        return None
    parts: list[str] = []
    for raw in path.split("/"):
        if not raw:
            continue
        try:
            segment = unquote(raw, errors="strict")
        except UnicodeDecodeError:
            return None
        if segment.startswith(".") or any(c in segment for c in "/\\\x00"):
            return None
        parts.append(segment)
    try:
        real = root.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if real != root and root not in real.parents:
        return None  # a symlink that leads out of the served folder
    return real


class NarrateServer(ThreadingHTTPServer):
    daemon_threads = True  # a stalled phone download must not block Ctrl-C

    def __init__(
        self,
        address: tuple[str, int],
        root: Path,
        *,
        listing: bool = False,
        log: Callable[[str], None] | None = None,
    ) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.root = root.resolve()
        self.listing = listing
        self.log = log
        super().__init__(address, RequestHandler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])


class RequestHandler(BaseHTTPRequestHandler):
    server: NarrateServer
    server_version = f"narrate/{__version__}"
    protocol_version = "HTTP/1.1"  # keep-alive: apps fetch many small files
    timeout = 60  # seconds of silence before a connection's thread gives up

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.log is not None:
            self.server.log(f"{self.address_string()} {format % args}")

    def _respond(self, *, send_body: bool) -> None:
        target = resolve_request_path(self.server.root, self.path)
        if target is None:
            self._error(HTTPStatus.NOT_FOUND, send_body)
        elif target.is_dir():
            self._folder(target, send_body)
        elif target.is_file():
            self._file(target, send_body)
        else:
            self._error(HTTPStatus.NOT_FOUND, send_body)

    def _file(self, path: Path, send_body: bool) -> None:
        try:
            handle = path.open("rb")
        except OSError:
            self._error(HTTPStatus.NOT_FOUND, send_body)
            return
        with handle:
            stat = os.fstat(handle.fileno())
            size = stat.st_size
            etag = f'"{stat.st_mtime_ns:x}-{size:x}"'
            modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
            if self.headers.get("If-None-Match") == etag:
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            wanted = self.headers.get("Range")
            if_range = self.headers.get("If-Range")
            if if_range is not None and if_range not in (etag, modified):
                wanted = None  # the client's copy is stale: send the whole new file
            try:
                span = parse_range(wanted, size)
            except Unsatisfiable:
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Accept-Ranges", "bytes")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            start, end = span if span is not None else (0, size - 1)
            self.send_response(HTTPStatus.PARTIAL_CONTENT if span else HTTPStatus.OK)
            if span:
                self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
            self.send_header("Content-Type", content_type(path))
            self.send_header("Content-Length", str(end - start + 1))
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
            if path.suffix.lower() in _REVALIDATE:
                self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            if send_body and end >= start:
                handle.seek(start)
                self._copy(handle, end - start + 1)

    def _copy(self, handle: BinaryIO, remaining: int) -> None:
        try:
            while remaining > 0:
                chunk = handle.read(min(_CHUNK, remaining))
                if not chunk:
                    break
                self.wfile.write(chunk)
                remaining -= len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # apps abort downloads all the time

    def _folder(self, path: Path, send_body: bool) -> None:
        root = self.server.root
        if self.server.listing:
            rel = path.relative_to(root).as_posix()
            title = "/" if rel == "." else f"/{rel}/"
            rows = []
            for child in sorted(path.iterdir(), key=lambda p: p.name):
                if (
                    child.name.startswith(".")
                    or resolve_request_path(root, "/" + quote(child.relative_to(root).as_posix()))
                    is None
                ):
                    continue
                name = child.name + ("/" if child.is_dir() else "")
                rows.append(f'<li><a href="{quote(name)}">{html.escape(name)}</a></li>')
            body = f"<h1>{html.escape(title)}</h1><ul>{''.join(rows)}</ul>"
        elif path == root and (root / "feed.xml").is_file():
            body = (
                "<h1>narrate</h1><p>Subscribe in your podcast app with this address:</p>"
                '<p><a href="feed.xml">feed.xml</a></p>'
            )
        else:
            self._error(HTTPStatus.NOT_FOUND, send_body)
            return
        page = (
            '<!doctype html><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width">'
            f"<title>narrate</title>{body}"
        ).encode()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        if send_body:
            self.wfile.write(page)

    def _error(self, status: HTTPStatus, send_body: bool) -> None:
        body = f"{status.value} {status.phrase}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)


def content_type(path: Path) -> str:
    return CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")


def make_server(
    root: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    listing: bool = False,
    log: Callable[[str], None] | None = None,
) -> NarrateServer:
    """Bind (port 0: any free port) without serving yet; call ``serve_forever``."""
    root = Path(root)
    if not root.is_dir():
        raise InputError(root, "no such folder", "render a work first: narrate render WORK")
    try:
        return NarrateServer((host, port), root, listing=listing, log=log)
    except OSError as exc:
        raise NarrateError(
            f"cannot listen on {host}:{port} ({exc.strerror or exc}); pick another --port or --host"
        ) from None


def lan_address() -> str | None:
    """This machine's address on the local network, or None.

    Connecting a UDP socket sends no packet; it only makes the OS pick the
    interface it would route through, whose address is what a phone reaches.
    """
    for probe in ("192.0.2.1", "10.255.255.255"):  # TEST-NET-1, then a private range
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.connect((probe, 9))
                address = str(sock.getsockname()[0])
        except OSError:
            continue
        if not address.startswith("127.") and address != "0.0.0.0":
            return address
    try:
        address = socket.gethostbyname(socket.gethostname())
    except OSError:
        return None
    return None if address.startswith("127.") else address


def feed_base_url(server: NarrateServer, host: str) -> str:
    """The address phones should use: the LAN address when bound to every interface."""
    if host in ("0.0.0.0", "::", ""):
        shown = lan_address() or socket.gethostname()
    elif host == "localhost":
        shown = "127.0.0.1"
    else:
        shown = host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{server.port}/"


def rebuild_feed(root: Path, base_url: str, *, title: str | None = None) -> Path | None:
    """Write ``root/feed.xml`` with ``base_url`` for every rendered work under ``root``."""
    from narrate.feed import build_folder_feed

    return build_folder_feed(root, base_url, title=title)


def serve(server: NarrateServer) -> None:  # pragma: no cover - blocks until Ctrl-C
    try:
        server.serve_forever()
    finally:
        server.server_close()


# --- terminal QR code ---------------------------------------------------------------------
# A phone camera reads the LAN address off the screen instead of someone typing
# it. A QR encoder is small enough to own (ISO/IEC 18004: byte mode, error
# correction level M, versions 1-10, i.e. up to 213 bytes) and saves a dependency.

# Per version (level M): EC codewords per block, then (block count, data codewords) groups.
_QR_BLOCKS: dict[int, tuple[int, tuple[tuple[int, int], ...]]] = {
    1: (10, ((1, 16),)),
    2: (16, ((1, 28),)),
    3: (26, ((1, 44),)),
    4: (18, ((2, 32),)),
    5: (24, ((2, 43),)),
    6: (16, ((4, 27),)),
    7: (18, ((4, 31),)),
    8: (22, ((2, 38), (2, 39))),
    9: (22, ((3, 36), (2, 37))),
    10: (26, ((4, 43), (1, 44))),
}
_QR_ALIGN = {
    1: (),
    2: (6, 18),
    3: (6, 22),
    4: (6, 26),
    5: (6, 30),
    6: (6, 34),
    7: (6, 22, 38),
    8: (6, 24, 42),
    9: (6, 26, 46),
    10: (6, 28, 50),
}
_QR_LEVEL_M = 0b00


def _gf_tables() -> tuple[list[int], list[int]]:
    exp, log = [0] * 512, [0] * 256
    value = 1
    for power in range(255):
        exp[power] = value
        log[value] = power
        value <<= 1
        if value & 0x100:
            value ^= 0x11D
    for power in range(255, 512):
        exp[power] = exp[power - 255]
    return exp, log


_GF_EXP, _GF_LOG = _gf_tables()


def _gf_mul(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _GF_EXP[_GF_LOG[a] + _GF_LOG[b]]


def reed_solomon(data: bytes, ec_count: int) -> bytes:
    """The ``ec_count`` error-correction codewords for ``data`` (generator roots a^0..)."""
    generator = [1]
    for power in range(ec_count):
        nxt = [0] * (len(generator) + 1)
        for i, coef in enumerate(generator):
            nxt[i] ^= coef
            nxt[i + 1] ^= _gf_mul(coef, _GF_EXP[power])
        generator = nxt
    remainder = [0] * ec_count
    for byte in data:
        factor = byte ^ remainder[0]
        remainder = [*remainder[1:], 0]
        for i in range(ec_count):
            remainder[i] ^= _gf_mul(generator[i + 1], factor)
    return bytes(remainder)


def qr_matrix(text: str, *, mask: int | None = None) -> list[list[bool]]:
    """The QR code of ``text`` as rows of modules (True = dark)."""
    payload = text.encode("utf-8")
    for version in range(1, 11):
        ec_count, groups = _QR_BLOCKS[version]
        capacity = sum(count * size for count, size in groups)
        count_bits = 8 if version < 10 else 16
        if 4 + count_bits + 8 * len(payload) <= capacity * 8:
            break
    else:
        raise ValueError("too long for a terminal QR code")
    bits = [0, 1, 0, 0]  # byte mode
    bits += [(len(payload) >> i) & 1 for i in reversed(range(count_bits))]
    for byte in payload:
        bits += [(byte >> i) & 1 for i in reversed(range(8))]
    bits += [0] * min(4, capacity * 8 - len(bits))
    bits += [0] * (-len(bits) % 8)
    data = bytearray(int("".join(map(str, bits[i : i + 8])), 2) for i in range(0, len(bits), 8))
    pad = 0
    while len(data) < capacity:
        data.append((0xEC, 0x11)[pad % 2])
        pad += 1

    blocks: list[bytes] = []
    at = 0
    for count, size in groups:
        for _ in range(count):
            blocks.append(bytes(data[at : at + size]))
            at += size
    ecs = [reed_solomon(block, ec_count) for block in blocks]
    stream = bytearray()
    for i in range(max(len(b) for b in blocks)):
        stream += bytes(block[i] for block in blocks if i < len(block))
    for i in range(ec_count):
        stream += bytes(ec[i] for ec in ecs)

    grid = _QrGrid(version)
    grid.place(bytes(stream))
    chosen = mask if mask is not None else min(range(8), key=lambda m: grid.masked(m).penalty())
    return grid.masked(chosen).modules


class _QrGrid:
    def __init__(self, version: int) -> None:
        self.version = version
        self.size = size = 17 + 4 * version
        self.modules = [[False] * size for _ in range(size)]
        self.function = [[False] * size for _ in range(size)]
        for row, col in ((0, 0), (0, size - 7), (size - 7, 0)):
            for dy in range(-1, 8):
                for dx in range(-1, 8):
                    y, x = row + dy, col + dx
                    if 0 <= y < size and 0 <= x < size:
                        ring = max(abs(dy - 3), abs(dx - 3))
                        self._set(x, y, ring != 2 and ring != 4)
        for i in range(8, size - 8):
            self._set(6, i, i % 2 == 0)
            self._set(i, 6, i % 2 == 0)
        centres = _QR_ALIGN[version]
        corners = {(0, 0), (0, len(centres) - 1), (len(centres) - 1, 0)}
        for iy, cy in enumerate(centres):
            for ix, cx in enumerate(centres):
                if (iy, ix) in corners:
                    continue  # where the finder patterns are
                for dy in range(-2, 3):
                    for dx in range(-2, 3):
                        self._set(cx + dx, cy + dy, max(abs(dx), abs(dy)) != 1)
        self._format(0)  # reserve; real bits are written per mask
        if version >= 7:
            rem = version
            for _ in range(12):
                rem = (rem << 1) ^ ((rem >> 11) * 0x1F25)
            info = version << 12 | rem
            for i in range(18):
                a, b = size - 11 + i % 3, i // 3
                self._set(a, b, bool((info >> i) & 1))
                self._set(b, a, bool((info >> i) & 1))

    def _set(self, x: int, y: int, dark: bool) -> None:
        self.modules[y][x] = dark
        self.function[y][x] = True

    def _format(self, mask: int) -> None:
        data = _QR_LEVEL_M << 3 | mask
        rem = data
        for _ in range(10):
            rem = (rem << 1) ^ ((rem >> 9) * 0x537)
        bits = (data << 10 | rem) ^ 0x5412
        size = self.size

        def bit(i: int) -> bool:
            return bool((bits >> i) & 1)

        for i in range(6):
            self._set(8, i, bit(i))
        self._set(8, 7, bit(6))
        self._set(8, 8, bit(7))
        self._set(7, 8, bit(8))
        for i in range(9, 15):
            self._set(14 - i, 8, bit(i))
        for i in range(8):
            self._set(size - 1 - i, 8, bit(i))
        for i in range(8, 15):
            self._set(8, size - 15 + i, bit(i))
        self._set(8, size - 8, True)  # the dark module

    def place(self, stream: bytes) -> None:
        size, i, right = self.size, 0, self.size - 1
        while right >= 1:
            if right == 6:
                right = 5  # the vertical timing pattern is skipped
            upward = ((right + 1) & 2) == 0
            for vert in range(size):
                y = size - 1 - vert if upward else vert
                for x in (right, right - 1):
                    if not self.function[y][x] and i < len(stream) * 8:
                        self.modules[y][x] = bool((stream[i >> 3] >> (7 - (i & 7))) & 1)
                        i += 1
            right -= 2

    def masked(self, mask: int) -> _QrGrid:
        other = copy.deepcopy(self)
        for y in range(self.size):
            for x in range(self.size):
                if not self.function[y][x] and _mask_hit(mask, y, x):
                    other.modules[y][x] = not other.modules[y][x]
        other._format(mask)
        return other

    def penalty(self) -> int:
        m, size, score = self.modules, self.size, 0
        lines = [m[y] for y in range(size)] + [[m[y][x] for y in range(size)] for x in range(size)]
        finder_like = (
            [True, False, True, True, True, False, True, False, False, False, False],
            [False, False, False, False, True, False, True, True, True, False, True],
        )
        for line in lines:
            run = 1
            for a, b in itertools.pairwise(line):
                run = run + 1 if a == b else 1
                if run == 5:
                    score += 3
                elif run > 5:
                    score += 1
            for start in range(size - 10):
                if line[start : start + 11] in finder_like:
                    score += 40
        for y in range(size - 1):
            for x in range(size - 1):
                if m[y][x] == m[y][x + 1] == m[y + 1][x] == m[y + 1][x + 1]:
                    score += 3
        dark = sum(map(sum, m))
        score += 10 * (abs(dark * 20 - size * size * 10) // (size * size))
        return score


def _mask_hit(mask: int, i: int, j: int) -> bool:
    return (
        (i + j) % 2 == 0,
        i % 2 == 0,
        j % 3 == 0,
        (i + j) % 3 == 0,
        (i // 2 + j // 3) % 2 == 0,
        (i * j) % 2 + (i * j) % 3 == 0,
        ((i * j) % 2 + (i * j) % 3) % 2 == 0,
        ((i + j) % 2 + (i * j) % 3) % 2 == 0,
    )[mask]


def qr_text(text: str) -> str:
    """The QR code as terminal text, two rows per line, with the quiet zone.

    Light modules are drawn as blocks: on the usual dark terminal that gives a
    dark-on-light code, which every phone camera reads.
    """
    matrix = qr_matrix(text)
    quiet = 2
    size = len(matrix) + 2 * quiet

    def light(y: int, x: int) -> bool:
        y, x = y - quiet, x - quiet
        inside = 0 <= y < len(matrix) and 0 <= x < len(matrix)
        return not (inside and matrix[y][x])

    rows = []
    for y in range(0, size, 2):
        chars = []
        for x in range(size):
            top, bottom = light(y, x), y + 1 < size and light(y + 1, x)
            chars.append("█" if top and bottom else "▀" if top else "▄" if bottom else " ")
        rows.append("".join(chars))
    return "\n".join(rows)
