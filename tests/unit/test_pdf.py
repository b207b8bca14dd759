"""Printable documents as PDF, and the seal on an executed agreement (R7): what is
printed reads as the page does, the renderer fetches nothing from the network, and a
sealed file shows any change made to it after sealing."""

import io
import os
import re
import socket
import stat
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import render_template_string
from pypdf import PdfReader

from portal import create_app
from portal.config import Config, ConfigurationError
from portal.services.pdf import (
    SEAL_FIELD,
    SealingCredentials,
    check_seal,
    render_pdf,
    seal,
    sealing_credentials,
)
from portal.services.pdf.credentials import make_self_signed
from portal.services.pdf.rendering import STATIC_DIR, static_file_for
from tests.conftest import make_config, sealing_files

SAMPLE = """{% extends "documents/print_base.html" %}
{% block title %}Secondment agreement SEC-0042{% endblock %}
{% block header %}Secondment agreement SEC-0042, version 3{% endblock %}
{% block footer %}Fingerprint of version 3{% endblock %}
{% block content %}
<h1>Secondment agreement</h1>
<table class="terms"><tbody>
  <tr><th scope="row">Host organisation</th><td>Lakes National Park Authority</td></tr>
</tbody></table>
<ol class="clauses">
  {% for n in range(12) %}
  <li><h2>Clause heading {{ n }}</h2>
    <ol><li>The secondee remains an employee of the home organisation throughout.</li>
        <li>The host manager deals with day-to-day matters of the secondee's work.</li></ol>
  </li>
  {% endfor %}
</ol>
<div class="signature-block"><p class="signature-block__party">For the host organisation</p>
  <dl><dt>Signed by</dt><dd>Maria Lopez</dd></dl></div>
{% endblock %}"""

PIXEL = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
         "z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


@pytest.fixture(scope="module")
def app():
    """One application for the module, sealing with the run's test certificate."""
    app = create_app(make_config("sqlite://", {}))
    with app.app_context():
        yield app


@pytest.fixture(scope="module")
def sample_html(app):
    with app.test_request_context():
        return render_template_string(SAMPLE)


@pytest.fixture(scope="module")
def sample_pdf(sample_html):
    return render_pdf(sample_html)


@pytest.fixture(scope="module")
def sealed_pdf(app, sample_pdf):
    return seal(sample_pdf, reason="Executed agreement SEC-0042")


def pdf_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


# Rendering


def test_a_rendered_document_has_its_text_page_numbers_and_header_on_every_page(sample_pdf):
    pages = pdf_text(sample_pdf)
    assert len(pages) >= 2
    assert "Secondment agreement" in pages[0]
    assert "Lakes National Park Authority" in pages[0]
    assert "1.1" in pages[0] and "The secondee remains an employee" in pages[0]
    assert "Maria Lopez" in pages[-1]
    for number, text in enumerate(pages, 1):
        # From documents.css: without the stylesheet there is no page numbering.
        assert f"Page {number} of {len(pages)}" in text
        assert "Secondment agreement SEC-0042, version 3" in text
        assert "Fingerprint of version 3" in text


def test_the_print_page_carries_no_inline_style_for_the_portals_policy_to_refuse(sample_html):
    assert "<style" not in sample_html and " style=" not in sample_html
    assert '<link rel="stylesheet" href="/assets/documents.css">' in sample_html
    assert static_file_for("file:///assets/documents.css") == STATIC_DIR / "documents.css"


def test_the_same_document_renders_to_the_same_bytes(sample_html, sample_pdf):
    assert render_pdf(sample_html) == sample_pdf


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "file:///assets/../../../../etc/passwd",
    "file:///assets/%2e%2e/%2e%2e/pyproject.toml",
    "file://example.org/assets/documents.css",
    "https://example.org/assets/documents.css",
    "file:///assets/no-such-file.css",
])
def test_only_the_portals_own_static_files_are_read(url):
    assert static_file_for(url) is None


def test_the_renderer_fetches_nothing_from_the_network():
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    address = f"http://127.0.0.1:{listener.getsockname()[1]}"
    html = (f'<html><head><link rel="stylesheet" href="{address}/style.css"></head><body>'
            f'<p>Remote</p><img src="{address}/logo.png" alt=""></body></html>')
    with listener:
        pdf = render_pdf(html)
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody knocked
    assert "Remote" in pdf_text(pdf)[0]
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 0


def test_a_data_uri_image_is_drawn():
    pdf = render_pdf(f'<html><body><img src="{PIXEL}" alt="A dot"></body></html>')
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 1


# Sealing


def test_a_sealed_document_is_intact_and_trusted(sample_pdf, sealed_pdf):
    check = check_seal(sealed_pdf)
    assert check.intact and check.trusted
    assert check.sealed_by == "Example Council document seal"
    assert datetime.now(UTC) - check.sealed_at < timedelta(minutes=5)
    signature = PdfReader(io.BytesIO(sealed_pdf)).get_fields()[SEAL_FIELD]["/V"]
    assert signature["/Reason"] == "Executed agreement SEC-0042"
    assert signature["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert sealed_pdf.startswith(sample_pdf)  # the pages are left as they were
    assert pdf_text(sealed_pdf) == pdf_text(sample_pdf)


def test_one_changed_byte_in_the_sealed_part_is_seen(sealed_pdf):
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", sealed_pdf)
    start, length = int(match[1]), int(match[2])
    middle = start + length // 2  # in the agreement's own pages, well before the seal
    altered = bytearray(sealed_pdf)
    altered[middle] ^= 0x01
    check = check_seal(bytes(altered))
    assert not check.intact and not check.trusted


def test_an_update_appended_after_sealing_is_seen(sealed_pdf):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(sealed_pdf))
    writer.root["/Lang"] = generic.TextStringObject("fr")
    writer.update_root()
    output = io.BytesIO()
    writer.write(output)
    assert output.getvalue().startswith(sealed_pdf)
    assert check_seal(output.getvalue()).intact is False


def test_a_document_never_sealed_is_not_intact(app, sample_pdf):
    check = check_seal(sample_pdf)
    assert not check.intact and not check.trusted
    assert check.sealed_by is None and check.sealed_at is None


@pytest.mark.parametrize("damage", ["empty", "garbage", "truncated", "header only"])
def test_a_damaged_file_is_not_intact_and_raises_nothing(sealed_pdf, damage):
    data = {"empty": b"", "garbage": os.urandom(2048), "truncated": sealed_pdf[:-900],
            "header only": b"%PDF-1.7\n%%EOF\n"}[damage]
    check = check_seal(data)
    assert not check.intact and not check.trusted


def test_a_document_sealed_once_is_not_sealed_again(sealed_pdf):
    with pytest.raises(Exception, match="filled already"):
        seal(sealed_pdf, reason="Again")


def test_a_seal_made_with_another_certificate_is_intact_but_not_trusted(
        app, sample_pdf, tmp_path, monkeypatch):
    key, cert = make_self_signed(tmp_path / "sealing", "Somebody Else")
    monkeypatch.setitem(app.config, "DOCUMENT_SEALING_KEY_FILE", str(key))
    monkeypatch.setitem(app.config, "DOCUMENT_SEALING_CERT_FILE", str(cert))
    foreign = seal(sample_pdf, reason="Not ours")
    monkeypatch.undo()
    check = check_seal(foreign)
    assert check.intact and not check.trusted
    assert check.sealed_by == "Somebody Else document seal"


# The sealing key and certificate


def _encrypted_copy_of_the_test_key(tmp_path, passphrase: bytes):
    from cryptography.hazmat.primitives import serialization

    key_file = sealing_files()["DOCUMENT_SEALING_KEY_FILE"]
    with open(key_file, "rb") as file:
        key = serialization.load_pem_private_key(file.read(), password=None)
    encrypted = tmp_path / "encrypted-key.pem"
    encrypted.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase)))
    return encrypted


def test_a_key_with_a_passphrase_seals(app, sample_pdf, tmp_path, monkeypatch):
    encrypted = _encrypted_copy_of_the_test_key(tmp_path, b"correct horse")
    monkeypatch.setitem(app.config, "DOCUMENT_SEALING_KEY_FILE", str(encrypted))
    monkeypatch.setitem(app.config, "DOCUMENT_SEALING_KEY_PASSPHRASE", "correct horse")
    assert check_seal(seal(sample_pdf, reason="Executed")).trusted


PRODUCTION = {
    "PORTAL_ENV": "production", "SECRET_KEY": "a-real-secret",
    "OIDC_ISSUER": "https://login.example.org", "OIDC_CLIENT_ID": "portal",
    "OIDC_CLIENT_SECRET": "shh", "PORTAL_URL": "https://secondments.example.org",
}


def test_production_refuses_to_start_without_a_sealing_key_and_certificate():
    with pytest.raises(ConfigurationError, match="cannot start in production") as error:
        Config(PRODUCTION)
    assert "DOCUMENT_SEALING_KEY_FILE" in str(error.value)
    assert "DOCUMENT_SEALING_CERT_FILE" in str(error.value)
    with pytest.raises(ConfigurationError, match="DOCUMENT_SEALING_CERT_FILE"):
        Config(PRODUCTION | {"DOCUMENT_SEALING_KEY_FILE":
                             sealing_files()["DOCUMENT_SEALING_KEY_FILE"]})


def test_production_refuses_to_start_when_a_sealing_file_is_not_there(tmp_path):
    settings = PRODUCTION | sealing_files()
    assert Config(settings).DOCUMENT_SEALING_CERT_FILE  # complete, it starts
    with pytest.raises(ConfigurationError, match="DOCUMENT_SEALING_KEY_FILE names .*not a file"):
        Config(settings | {"DOCUMENT_SEALING_KEY_FILE": str(tmp_path / "gone.pem")})


def test_production_refuses_to_start_with_a_key_it_cannot_open(tmp_path):
    encrypted = _encrypted_copy_of_the_test_key(tmp_path, b"correct horse")
    settings = PRODUCTION | sealing_files() | {"DOCUMENT_SEALING_KEY_FILE": str(encrypted)}
    for passphrase in ("", "wrong horse"):
        config = vars(Config(settings | {"DOCUMENT_SEALING_KEY_PASSPHRASE": passphrase}))
        with pytest.raises(ConfigurationError, match="DOCUMENT_SEALING_KEY_PASSPHRASE"):
            create_app(config)


def test_a_key_that_is_not_the_certificates_is_refused(tmp_path):
    other_key, _ = make_self_signed(tmp_path / "other", "Example Council")
    cert = sealing_files()["DOCUMENT_SEALING_CERT_FILE"]
    with pytest.raises(ConfigurationError, match="not the key of the certificate"):
        SealingCredentials(other_key, Path(cert)).load()


def test_development_and_test_need_both_files_or_neither():
    with pytest.raises(ConfigurationError, match="go together"):
        Config({"PORTAL_ENV": "development", "DOCUMENT_SEALING_CERT_FILE":
                sealing_files()["DOCUMENT_SEALING_CERT_FILE"]})
    assert Config({"PORTAL_ENV": "development"}).DOCUMENT_SEALING_KEY_FILE == ""


def test_without_files_development_makes_its_own_certificate_once_and_keeps_it(
        app, sample_pdf, tmp_path, monkeypatch):
    from cryptography import x509

    for name in ("DOCUMENT_SEALING_KEY_FILE", "DOCUMENT_SEALING_CERT_FILE"):
        monkeypatch.setitem(app.config, name, "")
    monkeypatch.setitem(app.config, "ORGANISATION_NAME", "Lakes National Park Authority")
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))

    first = sealing_credentials()
    assert first.key_file == tmp_path / "instance" / "sealing" / "key.pem"
    assert stat.S_IMODE(first.key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(first.key_file.parent.stat().st_mode) == 0o700
    certificate_pem = first.cert_file.read_bytes()
    assert sealing_credentials() == first
    assert first.cert_file.read_bytes() == certificate_pem  # the same one, not a new one

    certificate = x509.load_pem_x509_certificate(certificate_pem)
    assert certificate.subject.rfc4514_string() == (
        "O=Lakes National Park Authority,CN=Lakes National Park Authority document seal")
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert timedelta(days=5 * 365) <= lifetime <= timedelta(days=5 * 366)

    check = check_seal(seal(sample_pdf, reason="Executed"))
    assert check.trusted and check.sealed_by == "Lakes National Park Authority document seal"


def test_without_files_production_does_not_make_a_certificate(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "PORTAL_ENV", "production")
    monkeypatch.setitem(app.config, "DOCUMENT_SEALING_KEY_FILE", "")
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    with pytest.raises(ConfigurationError, match="DOCUMENT_SEALING_KEY_FILE"):
        sealing_credentials()
    assert list(tmp_path.iterdir()) == []


def test_workers_starting_together_make_one_certificate_between_them(tmp_path):
    workers = 4
    barrier = threading.Barrier(workers)
    results = []

    def start():
        barrier.wait()
        key, cert = make_self_signed(tmp_path / "sealing", "Example Council")
        results.append((key.read_bytes(), cert.read_bytes()))

    threads = [threading.Thread(target=start) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == workers and len(set(results)) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["sealing"]  # no half-made pair left


def test_a_certificate_from_an_authority_seals_with_the_authoritys_certificate_inside(
        app, sample_pdf, tmp_path, monkeypatch):
    """A deployment's certificate file may carry its authority's after it: the seal
    then holds both, so a reader that trusts the authority can trace the seal to it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    from pyhanko.pdf_utils.reader import PdfFileReader

    def certificate(subject, key, issuer, issuer_key, ca):
        now = datetime.now(UTC)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
        return (x509.CertificateBuilder().subject_name(name)
                .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - timedelta(hours=1))
                .not_valid_after(now + timedelta(days=30))
                .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
                .sign(issuer_key, hashes.SHA256()))

    authority_key, seal_key = ec.generate_private_key(ec.SECP256R1()), \
        ec.generate_private_key(ec.SECP256R1())
    authority = certificate("Trial authority", authority_key, "Trial authority",
                            authority_key, ca=True)
    own = certificate("Example Council document seal", seal_key, "Trial authority",
                      authority_key, ca=False)
    pem = serialization.Encoding.PEM
    (tmp_path / "cert.pem").write_bytes(own.public_bytes(pem) + authority.public_bytes(pem))
    (tmp_path / "key.pem").write_bytes(seal_key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    monkeypatch.setitem(app.config, "DOCUMENT_SEALING_KEY_FILE", str(tmp_path / "key.pem"))
    monkeypatch.setitem(app.config, "DOCUMENT_SEALING_CERT_FILE", str(tmp_path / "cert.pem"))

    sealed = seal(sample_pdf, reason="Executed")
    check = check_seal(sealed)
    assert check.intact and check.trusted
    assert check.sealed_by == "Example Council document seal"
    embedded = PdfFileReader(io.BytesIO(sealed)).embedded_signatures[0]
    assert {c.subject.native["common_name"] for c in embedded.other_embedded_certs} == {
        "Trial authority"}


def test_sealing_and_checking_work_where_an_event_loop_is_already_running(sample_pdf):
    """As under a browser driver or an asynchronous worker: pyHanko's own loop cannot
    start there, so the portal runs it beside."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from flask import current_app

    app = current_app._get_current_object()

    async def inside_a_running_loop():
        with app.app_context():
            return check_seal(seal(sample_pdf, reason="Test"))

    # In a thread of its own: the suite's browser tests may keep a loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        found = pool.submit(asyncio.run, inside_a_running_loop()).result()
    assert found.intact and found.trusted
