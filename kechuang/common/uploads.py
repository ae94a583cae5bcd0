"""An upper bound on uploaded files, enforced while the upload streams in (nothing larger reaches disk).

Django writes uploads above 2.5 MB to a temporary file before any view runs, so a size check in a form
comes too late: a 1 GB upload to the public self-assessment would first fill the disk. This handler,
first in ``FILE_UPLOAD_HANDLERS``, stops the upload as soon as a file passes
``KECHUANG_MAX_UPLOAD_MB`` (default 50 MB: an xlsx of 20,000 registry rows is about 3 MB) and the form
then reports the file as missing; :func:`refused` gives the reason to show.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

TOO_LARGE = "文件过大"


def max_upload_bytes() -> int:
    """The largest file accepted, in bytes (``KECHUANG_MAX_UPLOAD_MB`` megabytes)."""
    return int(getattr(settings, "KECHUANG_MAX_UPLOAD_MB", 50)) * 1024 * 1024


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops an upload whose file passes :func:`max_upload_bytes` (declared or received)."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > max_upload_bytes():
            request: Any = self.request  # the page reads ``upload_refused`` from the request
            request.upload_refused = f"{TOO_LARGE}（上限 {max_upload_bytes() // (1024 * 1024)} MB）"
            raise StopUpload(connection_reset=False)  # read and drop the rest, so the page can answer
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def refused(request: Any) -> str | None:
    """Why the request's upload was dropped (Chinese), or None."""
    return getattr(request, "upload_refused", None)
