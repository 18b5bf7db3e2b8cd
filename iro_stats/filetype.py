"""What a file really is, told from its first bytes whatever its name says: CSV text, an
.xlsx (or .xlsm) or .ods workbook (a zip), an .xls workbook (an OLE compound file), or a
workbook saved with a password (an OLE file holding the encrypted package). Files that
are none of these, or not files at all, are refused with one line."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

from iro_stats.errors import DataError

CSV, XLSX, XLS, ODS = "csv", "xlsx", "xls", "ods"
NAMES = {CSV: "CSV text", XLSX: "an .xlsx workbook", XLS: "an .xls workbook",
         ODS: "an .ods spreadsheet"}
ZIP = b"PK\x03\x04", b"PK\x05\x06"  # a zip's first record, or an empty zip's end
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of .xls and encrypted files
# The stream an encrypted Office file keeps its workbook in, as its directory names it.
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
OLE_DIRECTORY_SEARCH = 1 << 20  # bytes of a compound file looked at for that name


def what(path: Path) -> str:
    """Return what the file holds (CSV, XLSX, XLS or ODS); raise DataError for a file
    that is not a regular file, is saved with a password, or is a zip that is not a
    workbook."""
    where = str(path)
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise DataError(f"{where}: cannot be read ({exc.strerror}); check the path")
    if not stat.S_ISREG(mode):
        raise DataError(f"{where}: not a regular file (a device, pipe or socket); save the "
                        "extract as a file and name that")
    try:
        with open(path, "rb") as file:
            head = file.read(len(OLE))
            if head == OLE:
                head += file.read(OLE_DIRECTORY_SEARCH)
    except OSError as exc:
        raise DataError(f"{where}: cannot be read ({exc.strerror}); check it is not open "
                        "elsewhere and you may read it")
    if head.startswith(OLE):
        if ENCRYPTED in head:
            raise password_protected(where)
        return XLS
    if head.startswith(ZIP):
        return _zipped(path)
    return CSV


def password_protected(where: str) -> DataError:
    """Return the error for a workbook saved with a password."""
    return DataError(f"{where}: the workbook is password-protected: save a copy without "
                     "the password (File > Info > Protect Workbook in Excel) and read that")


def _zipped(path: Path) -> str:
    """Return XLSX or ODS for a zip holding a workbook; raise DataError for another zip."""
    where = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                return XLSX
            if "mimetype" in names and archive.read("mimetype").strip().startswith(
                    b"application/vnd.oasis.opendocument.spreadsheet"):
                return ODS
            if "content.xml" in names:
                return ODS
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise DataError(f"{where}: cannot be read as a workbook (a damaged zip file: {exc}); "
                        "open it in Excel and save it again as .xlsx")
    raise DataError(f"{where}: cannot be read as a workbook (a zip file, but no "
                    "xl/workbook.xml in it); save the extract as .xlsx or CSV")


SUFFIXES = {".csv": CSV, ".xlsx": XLSX, ".xlsm": XLSX, ".xls": XLS, ".ods": ODS}


def named(path: Path) -> str | None:
    """Return what the file's name says it holds (CSV, XLSX, XLS or ODS), or None."""
    return SUFFIXES.get(path.suffix.lower())


def note(path: Path, found: str) -> str | None:
    """Return a note when the file's name says another format than it holds, else None."""
    said = named(path)
    if said is None or said == found:
        return None
    return f"{path}: named {path.suffix} but holds {NAMES[found]}; read as what it holds"
