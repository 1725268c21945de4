"""The same VBA project bytes for the same sources: what LibreOffice draws at random, redrawn
from a seed.

LibreOffice's VBA export differs from one run to the next only in the ``PROJECT`` stream:
the project's ``ID="{…}"`` is a random GUID, and the protection-state fields ``CMG``, ``DPB``
and ``GC`` are each encrypted (MS-OVBA 2.4.3) with a random seed byte, whose bits also
choose how many filler bytes the field carries, so the stream's length varies too.
:func:`normalise` decrypts the three fields, keeps what they say (not locked, no password,
visible), and encrypts them again with seed bytes and a GUID taken from the caller's
seed (a hash of the sources).  Because the stream's length may change, the compound file
(MS-CFB) is written again around the same directory entries: every stream in directory
order, small ones in the mini stream, no timestamps.  The result depends only on the
streams, so two builds of the same sources are the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct

import olefile

from xl_addin.core.errors import UserError

#: MS-OVBA 2.4.3.2: the version byte of the data encryption
_VERSION = 2
_FIELDS = ("CMG", "DPB", "GC")
_ID = re.compile(rb'^ID="(\{[0-9A-F-]{36}\})"\r?$', re.MULTILINE)
_SECTOR, _MINI, _CUTOFF = 512, 64, 4096
_FREE, _END, _FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
_PER_FAT = _SECTOR // 4
_HEADER_FAT_SLOTS = 109


def project_key(project_id: bytes) -> int:
    """MS-OVBA 2.4.3.2's ProjKey: the sum of the bytes of the project's ID text."""
    return sum(project_id) & 0xFF


def encrypt(data: bytes, seed: int, key: int) -> bytes:
    """MS-OVBA 2.4.3.2 data encryption of ``data`` with the seed byte ``seed``; the
    filler bytes ("ignored", as many as ``seed`` bits 1–2 say) are zero."""
    version_enc, key_enc = seed ^ _VERSION, seed ^ key
    out = bytearray([seed, version_enc, key_enc])
    plain_prev, enc_prev, enc_prev2 = key, key_enc, version_enc
    for byte in bytes((seed & 6) // 2) + struct.pack("<I", len(data)) + data:
        enc = byte ^ ((enc_prev2 + plain_prev) & 0xFF)
        out.append(enc)
        plain_prev, enc_prev, enc_prev2 = byte, enc, enc_prev
    return bytes(out)


def decrypt(blob: bytes) -> tuple[bytes, int]:
    """(data, ProjKey) of an MS-OVBA 2.4.3.3 encrypted field."""
    seed, version_enc, key_enc = blob[:3]
    if seed ^ version_enc != _VERSION:
        raise UserError("VBA 工程的 PROJECT 流中有无法识别的加密字段，请重新生成加载项。")
    key = seed ^ key_enc
    plain_prev, enc_prev, enc_prev2 = key, key_enc, version_enc
    plain = bytearray()
    for enc in blob[3:]:
        byte = enc ^ ((enc_prev2 + plain_prev) & 0xFF)
        plain.append(byte)
        plain_prev, enc_prev, enc_prev2 = byte, enc, enc_prev
    ignored = (seed & 6) // 2
    (length,) = struct.unpack("<I", plain[ignored:ignored + 4])
    return bytes(plain[ignored + 4:ignored + 4 + length]), key


def _guid(seed: bytes) -> bytes:
    """A GUID text (version-4 layout) made from ``seed``, as LibreOffice writes one."""
    h = bytearray(hashlib.sha256(b"project-id" + seed).digest()[:16])
    h[6], h[8] = (h[6] & 0x0F) | 0x40, (h[8] & 0x3F) | 0x80
    x = h.hex().upper()
    return f"{{{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}}}".encode("ascii")


def project_stream(text: bytes, seed: bytes) -> bytes:
    """The PROJECT stream ``text`` with its ID and CMG/DPB/GC drawn from ``seed``."""
    match = _ID.search(text)
    if match is None:
        raise UserError("VBA 工程的 PROJECT 流中没有 ID 行，请重新生成加载项。")
    new_id = _guid(seed)
    text = text[:match.start(1)] + new_id + text[match.end(1):]
    for name in _FIELDS:
        line = re.compile(rb'^' + name.encode() + rb'="([0-9A-F]+)"', re.MULTILINE)
        found = line.search(text)
        if found is None:
            raise UserError(f"VBA 工程的 PROJECT 流中没有 {name} 行，请重新生成加载项。")
        data, _ = decrypt(bytes.fromhex(found[1].decode("ascii")))
        field_seed = hashlib.sha256(name.encode() + seed).digest()[0]
        blob = encrypt(data, field_seed, project_key(new_id)).hex().upper().encode("ascii")
        text = text[:found.start(1)] + blob + text[found.end(1):]
    return text


def _sectors(data: bytes, size: int) -> list[bytes]:
    padded = data + bytes(-len(data) % size)
    return [padded[i:i + size] for i in range(0, len(padded), size)]


def _chain(fat: list[int], start: int, count: int) -> None:
    fat.extend(range(start + 1, start + count))
    fat.append(_END)


def compound_file(entries: list[bytes], streams: dict[int, bytes]) -> bytes:
    """An MS-CFB version-3 file of the raw 128-byte directory ``entries`` (sid order)
    with ``streams`` (sid → bytes) laid out in sid order; start sectors, sizes and the
    timestamps of the entries are rewritten, everything else is kept."""
    entries = [bytearray(e) for e in entries]
    mini, big = bytearray(), bytearray()
    mini_fat: list[int] = []
    fat: list[int] = []
    for sid, data in sorted(streams.items()):
        entry = entries[sid]
        entry[100:116] = bytes(16)
        if not data:
            entry[116:128] = struct.pack("<IQ", _END, 0)
        elif len(data) < _CUTOFF:
            entry[116:128] = struct.pack("<IQ", len(mini_fat), len(data))
            parts = _sectors(data, _MINI)
            _chain(mini_fat, len(mini_fat), len(parts))
            mini += b"".join(parts)
        else:
            entry[116:128] = struct.pack("<IQ", len(fat), len(data))
            parts = _sectors(data, _SECTOR)
            _chain(fat, len(fat), len(parts))
            big += b"".join(parts)
    body = [*_sectors(bytes(big), _SECTOR)]
    root = entries[0]
    root[100:116] = bytes(16)
    root[116:128] = struct.pack("<IQ", len(fat) if mini else _END, len(mini))
    if mini:
        ministream = _sectors(bytes(mini), _SECTOR)
        _chain(fat, len(fat), len(ministream))
        body += ministream
    first_minifat = len(fat) if mini_fat else _END
    mini_fat += [_FREE] * (-len(mini_fat) % _PER_FAT)
    minifat_sectors = _sectors(struct.pack(f"<{len(mini_fat)}I", *mini_fat), _SECTOR)
    if minifat_sectors:
        _chain(fat, len(fat), len(minifat_sectors))
        body += minifat_sectors
    directory = b"".join(entries)
    directory += b"".join(_unused_entry() for _ in range(-len(entries) % (_SECTOR // 128)))
    first_dir = len(fat)
    dir_sectors = _sectors(directory, _SECTOR)
    _chain(fat, len(fat), len(dir_sectors))
    body += dir_sectors
    fat_count = 0
    while fat_count * _PER_FAT < len(fat) + fat_count:
        fat_count += 1
    if fat_count > _HEADER_FAT_SLOTS:
        raise UserError("VBA 工程过大，超出加载项生成的范围。")
    fat_ids = list(range(len(fat), len(fat) + fat_count))
    fat += [_FATSECT] * fat_count
    fat += [_FREE] * (-len(fat) % _PER_FAT)
    body += _sectors(struct.pack(f"<{len(fat)}I", *fat), _SECTOR)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII", bytes.fromhex("D0CF11E0A1B11AE1"), bytes(16), 0x3E, 3,
        0xFFFE, 9, 6, bytes(6), 0, fat_count, first_dir, 0, _CUTOFF, first_minifat,
        len(minifat_sectors), _END, 0)
    header += struct.pack(f"<{_HEADER_FAT_SLOTS}I",
                          *fat_ids, *[_FREE] * (_HEADER_FAT_SLOTS - fat_count))
    return header + b"".join(body)


def _unused_entry() -> bytes:
    """A free directory entry: no name, no siblings, no child."""
    return bytes(68) + struct.pack("<BBIII", 0, 0, _FREE, _FREE, _FREE) + bytes(48)


def normalise(vba_project_bin: bytes, seed: bytes) -> bytes:
    """``vba_project_bin`` with LibreOffice's random bits redrawn from ``seed`` and the
    compound file laid out again (see the module's docstring)."""
    ole = olefile.OleFileIO(io.BytesIO(vba_project_bin))
    try:
        ole.directory_fp.seek(0)
        raw = ole.directory_fp.read()
        used = [e for e in ole.direntries if e is not None]
        count = max(e.sid for e in used) + 1
        entries = [raw[sid * 128:(sid + 1) * 128] for sid in range(count)]
        streams = {e.sid: ole.openstream(_path(ole, e.sid)).read()
                   for e in used if e.entry_type == olefile.STGTY_STREAM}
    finally:
        ole.close()
    project = next(e.sid for e in used if e.name == "PROJECT" and e.entry_type
                   == olefile.STGTY_STREAM)
    streams[project] = project_stream(streams[project], seed)
    return compound_file(entries, streams)


def _path(ole: olefile.OleFileIO, sid: int) -> list[str]:
    """The storage path of the entry ``sid`` (olefile opens streams by path)."""
    def walk(entry: olefile.olefile.OleDirectoryEntry, trail: list[str]) -> list[str] | None:
        for kid in entry.kids:
            here = [*trail, kid.name]
            if kid.sid == sid:
                return here
            found = walk(kid, here)
            if found:
                return found
        return None
    path = walk(ole.root, [])
    if path is None:
        raise UserError("VBA 工程的目录结构无法读取，请重新生成加载项。")
    return path
