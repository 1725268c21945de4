"""A small reader of a VBA project (``xl/vbaProject.bin``) after [MS-OVBA].

Why our own: the add-in's VBA project is written by LibreOffice, and the only way to
know it is what Excel expects is to compare it, structure by structure, with projects
Excel itself wrote.  oletools reads the source text but hides the records (their kinds,
order, the module types and references), which is what the comparison needs.  olefile
opens the compound file; this module decompresses (MS-OVBA 2.4.1) and parses the ``dir``
stream (2.3.4.2) and the PROJECT stream's text (2.3.1).
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field

import olefile

#: dir stream record ids (MS-OVBA 2.3.4.2) by name, for messages and tests
RECORD_NAMES = {
    0x0001: "PROJECTSYSKIND", 0x004A: "PROJECTCOMPATVERSION", 0x0002: "PROJECTLCID",
    0x0014: "PROJECTLCIDINVOKE", 0x0003: "PROJECTCODEPAGE", 0x0004: "PROJECTNAME",
    0x0005: "PROJECTDOCSTRING", 0x0040: "PROJECTDOCSTRING_UNICODE",
    0x0006: "PROJECTHELPFILEPATH", 0x003D: "PROJECTHELPFILEPATH_2",
    0x0007: "PROJECTHELPCONTEXT", 0x0008: "PROJECTLIBFLAGS", 0x0009: "PROJECTVERSION",
    0x000C: "PROJECTCONSTANTS", 0x003C: "PROJECTCONSTANTS_UNICODE",
    0x0016: "REFERENCENAME", 0x003E: "REFERENCENAME_UNICODE",
    0x000D: "REFERENCEREGISTERED", 0x000E: "REFERENCEPROJECT", 0x002F: "REFERENCECONTROL",
    0x0030: "REFERENCECONTROL_EXTENDED", 0x0033: "REFERENCEORIGINAL",
    0x000F: "PROJECTMODULES", 0x0013: "PROJECTCOOKIE",
    0x0019: "MODULENAME", 0x0047: "MODULENAMEUNICODE", 0x001A: "MODULESTREAMNAME",
    0x0032: "MODULESTREAMNAME_UNICODE", 0x001C: "MODULEDOCSTRING",
    0x0048: "MODULEDOCSTRING_UNICODE", 0x0031: "MODULEOFFSET", 0x001E: "MODULEHELPCONTEXT",
    0x002C: "MODULECOOKIE", 0x0021: "MODULETYPE_PROCEDURAL", 0x0022: "MODULETYPE_OTHER",
    0x0025: "MODULEREADONLY", 0x0028: "MODULEPRIVATE", 0x002B: "MODULE_TERMINATOR",
    0x0010: "DIR_TERMINATOR",
}
_PROJECTVERSION = 0x0009
_REFERENCE_KINDS = {0x000D: "registered", 0x000E: "project", 0x0033: "control",
                    0x002F: "control"}
_CHUNK = 4096


class OvbaError(ValueError):
    """The bytes are not a VBA project as MS-OVBA describes it."""


def decompress(data: bytes) -> bytes:
    """A CompressedContainer (MS-OVBA 2.4.1.1.1) decompressed (2.4.1.3.1)."""
    if not data or data[0] != 0x01:
        raise OvbaError("compressed container without signature byte 0x01")
    out = bytearray()
    pos = 1
    while pos < len(data):
        if pos + 2 > len(data):
            raise OvbaError(f"truncated chunk header at {pos}")
        (header,) = struct.unpack_from("<H", data, pos)
        if (header >> 12) & 0b111 != 0b011:
            raise OvbaError(f"bad chunk signature at {pos}")
        end = min(pos + (header & 0x0FFF) + 3, len(data))
        pos += 2
        if not header & 0x8000:  # a raw chunk: 4096 bytes as they are
            out += data[pos:pos + _CHUNK]
            pos += _CHUNK
            continue
        chunk_start = len(out)
        while pos < end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= end:
                    break
                if not flags >> bit & 1:
                    out.append(data[pos])
                    pos += 1
                    continue
                (token,) = struct.unpack_from("<H", data, pos)
                pos += 2
                # the split between offset and length bits grows with the chunk's
                # decompressed size so far (CopyToken Help, 2.4.1.3.19.1)
                bit_count = max((len(out) - chunk_start - 1).bit_length(), 4)
                length_mask = 0xFFFF >> bit_count
                length = (token & length_mask) + 3
                offset = (token >> (16 - bit_count)) + 1
                if offset > len(out) - chunk_start:
                    raise OvbaError(f"copy token reaches before its chunk at {pos - 2}")
                for _ in range(length):  # byte by byte: the copy may overlap itself
                    out.append(out[-offset])
    return bytes(out)


@dataclass(frozen=True)
class Record:
    """One dir stream record: its id and the bytes after its size field."""

    id: int
    data: bytes

    @property
    def name(self) -> str:
        return RECORD_NAMES.get(self.id, f"UNKNOWN_{self.id:#06x}")


def dir_records(dir_stream: bytes) -> list[Record]:
    """The records of a decompressed dir stream, in order.  Every record is id, size,
    data — except PROJECTVERSION, whose "size" is a reserved 4 followed by 6 bytes."""
    records: list[Record] = []
    pos = 0
    while pos < len(dir_stream):
        if pos + 6 > len(dir_stream):
            raise OvbaError(f"truncated dir record at {pos}")
        rid, size = struct.unpack_from("<HI", dir_stream, pos)
        pos += 6
        if rid == _PROJECTVERSION:
            size = 6
        if pos + size > len(dir_stream):
            raise OvbaError(f"dir record {rid:#06x} runs past the stream end at {pos}")
        records.append(Record(rid, dir_stream[pos:pos + size]))
        pos += size
        if rid == 0x0010:
            break
    return records


@dataclass
class Reference:
    """One reference of the project: its name, kind and the Libid that names it."""

    name: str
    kind: str = ""
    libid: str = ""


@dataclass
class Module:
    """One module as the dir stream describes it."""

    name: str
    stream_name: str = ""
    offset: int = 0
    procedural: bool = True
    records: list[str] = field(default_factory=list)


@dataclass
class Project:
    """What a comparison looks at: the compound file's streams, the dir records and
    what they say, the PROJECT stream's lines, and each module's source."""

    streams: list[str]
    records: list[Record]
    codepage: int
    syskind: int
    lcid: int
    name: str
    references: list[Reference]
    modules: list[Module]
    project_lines: list[tuple[str, str, str]]
    sources: dict[str, str]

    def module(self, name: str) -> Module:
        """The module called ``name`` (KeyError when the project has none)."""
        found = [m for m in self.modules if m.name == name]
        if not found:
            raise KeyError(f"no module {name!r} in the VBA project")
        return found[0]

    def project_values(self, key: str, section: str = "") -> list[str]:
        """The values of every PROJECT line ``key=…`` of ``section``, in order."""
        return [v for s, k, v in self.project_lines if s == section and k == key]


def _libid(record: Record) -> str:
    """The Libid a reference record names: REFERENCEORIGINAL's size field is the
    Libid's own; the others hold a length-prefixed Libid first."""
    if record.id == 0x0033:
        return record.data.decode("latin-1")
    (size,) = struct.unpack_from("<I", record.data, 0)
    return record.data[4:4 + size].decode("latin-1")


def _references(records: list[Record], codepage: str) -> list[Reference]:
    refs: list[Reference] = []
    previous = 0
    for record in records:
        if record.id == 0x000F:  # PROJECTMODULES: the references are over
            break
        if record.id == 0x0016 and previous != 0x002F:  # a control's own name is not new
            refs.append(Reference(record.data.decode(codepage)))
        elif record.id in _REFERENCE_KINDS and refs and not refs[-1].kind:
            refs[-1].kind, refs[-1].libid = _REFERENCE_KINDS[record.id], _libid(record)
        previous = record.id
    return refs


def _modules(records: list[Record], codepage: str) -> list[Module]:
    modules: list[Module] = []
    current: Module | None = None
    for record in records:
        if record.id == 0x0019:
            current = Module(record.data.decode(codepage))
            modules.append(current)
        if current is None:
            continue
        current.records.append(record.name)
        if record.id == 0x001A:
            current.stream_name = record.data.decode(codepage)
        elif record.id == 0x0031:
            (current.offset,) = struct.unpack("<I", record.data)
        elif record.id == 0x0022:
            current.procedural = False
        elif record.id == 0x002B:
            current = None
    return modules


def decrypt(text: str) -> bytes:
    """The data of a CMG, DPB or GC value (hex text, quotes allowed) after MS-OVBA
    2.4.3.3: each byte is masked with the sum of the byte two places before (encrypted)
    and the byte before (decrypted), starting from the seed and the project key."""
    enc = bytes.fromhex(text.strip('"'))
    if len(enc) < 7:
        raise OvbaError("encrypted value too short")
    seed, version_enc, key_enc = enc[0], enc[1], enc[2]
    if seed ^ version_enc != 2:
        raise OvbaError("encrypted value of an unknown version")
    plain_prev, enc_prev, enc_prev2 = seed ^ key_enc, key_enc, version_enc
    out = bytearray()
    for byte in enc[3:]:
        plain = byte ^ ((enc_prev2 + plain_prev) & 0xFF)
        enc_prev2, enc_prev, plain_prev = enc_prev, byte, plain
        out.append(plain)
    ignored = (seed & 6) // 2
    (length,) = struct.unpack_from("<I", out, ignored)
    data = bytes(out[ignored + 4:])
    if len(data) != length:
        raise OvbaError("encrypted value's length does not match")
    return data


def project_lines(text: str) -> list[tuple[str, str, str]]:
    """(section, key, value) of each PROJECT stream line (MS-OVBA 2.3.1); the first
    section has the name ``""``, a section header gives (name, "", "")."""
    lines: list[tuple[str, str, str]] = []
    section = ""
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            lines.append((section, "", ""))
            continue
        key, _, value = line.partition("=")
        lines.append((section, key, value))
    return lines


def _u32(records: list[Record], rid: int) -> int:
    data = next((r.data for r in records if r.id == rid), b"")
    return struct.unpack("<I", data[:4])[0] if len(data) >= 4 else 0


def _u16(records: list[Record], rid: int) -> int:
    data = next((r.data for r in records if r.id == rid), b"")
    return struct.unpack("<H", data[:2])[0] if len(data) >= 2 else 0


def read_project(data: bytes) -> Project:
    """The VBA project in ``data`` (the bytes of a vbaProject.bin)."""
    if not olefile.isOleFile(io.BytesIO(data)):
        raise OvbaError("not an OLE compound file")
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        streams = sorted("/".join(p) for p in ole.listdir(streams=True, storages=False))
        records = dir_records(decompress(ole.openstream("VBA/dir").read()))
        codepage_number = _u16(records, 0x0003)
        codepage = f"cp{codepage_number}"
        modules = _modules(records, codepage)
        project_text = ole.openstream("PROJECT").read().decode(codepage)
        sources = {}
        for module in modules:
            raw = ole.openstream(f"VBA/{module.stream_name}").read()
            sources[module.name] = decompress(raw[module.offset:]).decode(codepage)
    name_record = next((r for r in records if r.id == 0x0004), None)
    return Project(
        streams=streams, records=records, codepage=codepage_number,
        syskind=_u32(records, 0x0001), lcid=_u32(records, 0x0002),
        name=name_record.data.decode(codepage) if name_record else "",
        references=_references(records, codepage), modules=modules,
        project_lines=project_lines(project_text), sources=sources)
