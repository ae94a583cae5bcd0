"""Uploads larger than the limit are cut off while they stream in; smaller ones pass untouched."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


def test_an_upload_over_the_limit_never_reaches_the_view_as_a_file(client, db, settings):
    settings.KECHUANG_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("firm.json", b"{" + b" " * (2 * 1024 * 1024) + b"}", content_type="application/json")
    page = client.post(reverse("cultivation:self-assessment"), {"upload": big})
    assert page.status_code == 200
    assert "文件过大（上限 1 MB）" in page.content.decode()  # the file was dropped while it streamed in


def test_an_upload_under_the_limit_is_read(client, db, settings):
    settings.KECHUANG_MAX_UPLOAD_MB = 1
    small = SimpleUploadedFile("firm.json", b'{"enterprise": {"name": "x"}}', content_type="application/json")
    page = client.post(reverse("cultivation:self-assessment"), {"upload": small}).content.decode()
    assert "enterprise.establish_date" in page  # read and checked by the codec
