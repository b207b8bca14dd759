"""The deployment's document-sealing key and certificate (R7: the executed agreement).

Production names them in `DOCUMENT_SEALING_KEY_FILE` and `DOCUMENT_SEALING_CERT_FILE`
(PEM or DER; the key may be encrypted with `DOCUMENT_SEALING_KEY_PASSPHRASE`), and
portal/config.py refuses to start without them. Development, the demo and the tests, when
they name none, seal with a self-signed certificate made on first use and kept in the
instance folder under `sealing/`, so every later start seals with the same one.
"""

import functools
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import current_app

from portal.config import ConfigurationError

KEY_FILE_NAME = "key.pem"
CERT_FILE_NAME = "certificate.pem"
VALIDITY = timedelta(days=5 * 365 + 1)  # five years, leap day included


@dataclass(frozen=True)
class SealingCredentials:
    """Where the sealing key and certificate are, and how to open the key."""

    key_file: Path
    cert_file: Path
    passphrase: bytes | None = None

    def load(self):
        """The key, the certificate and any authority certificates after it in the same
        file (asn1crypto objects), read once per process and again only when a file
        changes; a configuration error naming the setting otherwise."""
        try:
            stamps = (self.key_file.stat().st_mtime_ns, self.cert_file.stat().st_mtime_ns)
        except OSError as error:
            raise ConfigurationError(
                f"The document-sealing key or certificate cannot be read: {error}. Check "
                "DOCUMENT_SEALING_KEY_FILE and DOCUMENT_SEALING_CERT_FILE") from None
        return _load(self.key_file, self.cert_file, self.passphrase, stamps)

    def certificate(self):
        return self.load()[1]


def sealing_credentials(app=None) -> SealingCredentials:
    """The deployment's sealing credentials: the configured files, or (outside
    production) the self-signed pair in the instance folder, made on first use."""
    app = app or current_app
    config = app.config
    key_file = config.get("DOCUMENT_SEALING_KEY_FILE") or ""
    cert_file = config.get("DOCUMENT_SEALING_CERT_FILE") or ""
    passphrase = (config.get("DOCUMENT_SEALING_KEY_PASSPHRASE") or "").encode() or None
    if key_file and cert_file:
        return SealingCredentials(Path(key_file), Path(cert_file), passphrase)
    if config["PORTAL_ENV"] == "production":
        raise ConfigurationError("The portal cannot seal documents in production without: "
                                 "DOCUMENT_SEALING_KEY_FILE, DOCUMENT_SEALING_CERT_FILE")
    key, cert = make_self_signed(Path(app.instance_path) / "sealing",
                                 config["ORGANISATION_NAME"])
    return SealingCredentials(key, cert)


def make_self_signed(directory: Path, organisation: str) -> tuple[Path, Path]:
    """A self-signed sealing key and certificate in `directory`, made once.

    Several workers may start at the same moment: each makes its pair in a private
    folder beside `directory` and renames it into place, which only the first can do
    (a folder is renamed whole, so nobody ever reads half a pair); the others discard
    theirs and use the winner's.
    """
    key_file, cert_file = directory / KEY_FILE_NAME, directory / CERT_FILE_NAME
    if key_file.is_file() and cert_file.is_file():
        return key_file, cert_file
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".sealing-", dir=directory.parent))  # mode 0700
    try:
        key_pem, cert_pem = _self_signed_pem(f"{organisation} document seal", organisation)
        _write(staging / KEY_FILE_NAME, key_pem, 0o600)
        _write(staging / CERT_FILE_NAME, cert_pem, 0o644)
        try:
            os.rename(staging, directory)
        except OSError:
            pass  # another worker's pair is already in place
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if not (key_file.is_file() and cert_file.is_file()):
        raise ConfigurationError(
            f"{directory} holds no complete sealing key and certificate: move it aside "
            "and the portal will make a new pair")
    return key_file, cert_file


def _write(path: Path, data: bytes, mode: int) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "wb") as file:
        os.fchmod(file.fileno(), mode)  # whatever the process's umask
        file.write(data)


def _self_signed_pem(common_name: str, organisation: str) -> tuple[bytes, bytes]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))  # a clock slightly behind still agrees
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False,
            crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM,
                                serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM)


@functools.lru_cache(maxsize=4)
def _load(key_file: Path, cert_file: Path, passphrase: bytes | None, _stamps):
    from cryptography.hazmat.primitives import serialization
    from pyhanko.keys import load_certs_from_pemder, load_private_key_from_pemder

    try:
        # The deployment's own certificate first, then its authority's, if given, which
        # go into the seal so that a reader can trace it to an authority it trusts.
        certificate, *chain = load_certs_from_pemder([str(cert_file)])
    except (OSError, ValueError, TypeError) as error:
        raise ConfigurationError(
            f"DOCUMENT_SEALING_CERT_FILE ({cert_file}) is not a certificate in PEM or DER: "
            f"{error}") from None
    try:
        key = load_private_key_from_pemder(str(key_file), passphrase=passphrase)
    except (OSError, ValueError, TypeError) as error:
        hint = ("check DOCUMENT_SEALING_KEY_PASSPHRASE" if passphrase
                else "if it is encrypted, set DOCUMENT_SEALING_KEY_PASSPHRASE")
        raise ConfigurationError(
            f"DOCUMENT_SEALING_KEY_FILE ({key_file}) cannot be opened as a private key "
            f"({hint}): {error}") from None
    public = serialization.load_der_private_key(key.dump(), password=None).public_key()
    if public.public_bytes(serialization.Encoding.DER,
                           serialization.PublicFormat.SubjectPublicKeyInfo) \
            != certificate.public_key.dump():
        raise ConfigurationError(
            "DOCUMENT_SEALING_KEY_FILE is not the key of the certificate in "
            "DOCUMENT_SEALING_CERT_FILE")
    return key, certificate, tuple(chain)
