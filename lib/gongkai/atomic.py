"""Write a file so that readers see the old version or the new one, never a part of either."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

_UMASK = os.umask(0)
os.umask(_UMASK)
FILE_MODE = 0o666 & ~_UMASK   # the mode of an ordinary new file (mkstemp would give 0600)


def write_atomically(path, data: bytes | str) -> Path:
    """Write data (text is UTF-8 encoded) to a temp file beside path, fsync, then os.replace it onto path.

    The file gets the ordinary mode for new files (0666 less the umask), not mkstemp's 0600, so a web
    server can serve a brief. On any error, Ctrl-C included, the temp file is removed and path is untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
