"""The encryption of pages behind a password (SPEC.md "Private case studies"). Pure but for
the salts, which are kept in the cache folder.

- Key: PBKDF2-HMAC-SHA256 over the password (Unicode NFC, UTF-8), a random 16-byte salt
  per case study and 600,000 iterations (OWASP's figure for PBKDF2-SHA256), 32 bytes.
- Cipher: AES-256-GCM with a 12-byte IV = HMAC-SHA256(key, plaintext)[:12]. The same page
  under the same key gives the same bytes (an unchanged site rebuilds byte for byte), and
  two different pages never share an IV (they would need the same HMAC).
- Plaintext: the page packed (`pack`): its HTML gzip-compressed, and each image it embeds
  once, as raw bytes, under the marker the HTML names it by. `unlock.js` (the default
  theme's) undoes the same steps with the browser's WebCrypto and DecompressionStream.

The password never leaves this process: not in the model, the views, the cache or a key
of it. What is remembered of a derived key is a digest of it (`key_digest`), which says
whether a password changed without helping anyone guess it.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import hmac
import os
import struct
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cache import Cache

ITERATIONS = 600_000
SALT_BYTES = 16
IV_BYTES = 12
KEY_BYTES = 32
MAGIC = b"PFP1"  # a packed page, format 1
# Where the salts live, inside .portfolio-cache/: deleting it gives every page a new salt.
SALTS = "protected-salts"

# Keys derived in this process, by (password, salt, iterations): the preview rebuilds at
# every save and a bilingual site encrypts each study twice. In memory only.
_KEYS: dict[tuple[str, bytes, int], bytes] = {}


class WrongPassword(Exception):
    """The password does not open the payload (or the payload was changed)."""


def derive_key(password: str, salt: bytes, iterations: int = ITERATIONS) -> bytes:
    """The AES key of `password` with `salt` (the same computation as unlock.js)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

    memo = (password, salt, iterations)
    key = _KEYS.get(memo)
    if key is None:
        secret = unicodedata.normalize("NFC", password).encode("utf-8")
        key = PBKDF2HMAC(hashes.SHA256(), KEY_BYTES, salt, iterations).derive(secret)
        if len(_KEYS) > 256:
            _KEYS.clear()
        _KEYS[memo] = key
    return key


def key_digest(key: bytes) -> str:
    """What may be remembered of a key: a digest that tells keys apart, nothing more."""
    return hashlib.sha256(b"portfolio: a digest of a derived key\0" + key).hexdigest()


def encrypt(key: bytes, plaintext: bytes) -> bytes:
    """IV (12 bytes) + AES-256-GCM ciphertext and tag; the IV is made from the plaintext."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    iv = hmac.new(key, plaintext, hashlib.sha256).digest()[:IV_BYTES]
    return iv + AESGCM(key).encrypt(iv, plaintext, None)


def decrypt(key: bytes, data: bytes) -> bytes:
    """The plaintext of `encrypt`'s output; WrongPassword when the key does not open it."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if len(data) < IV_BYTES + 16:
        raise WrongPassword("the payload is too short")
    try:
        return AESGCM(key).decrypt(data[:IV_BYTES], data[IV_BYTES:], None)
    except InvalidTag:
        raise WrongPassword("the password does not open this page") from None


def open_payload(password: str, salt: str, iterations: int, payload: str) -> str:
    """The page a protected page's payload holds, from what the page publishes (base64
    salt and payload) and the password alone."""
    key = derive_key(password, base64.b64decode(salt), iterations)
    return assemble(decrypt(key, base64.b64decode(payload)))


@dataclass(frozen=True)
class Embedded:
    """An image a page embeds: the marker its HTML holds in place of the data: URL."""

    marker: str
    mime: str
    data: bytes

    def data_url(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


def pack(html: str, images: list[Embedded]) -> bytes:
    """The page as one plaintext: MAGIC, the image count, each image (marker, MIME type,
    bytes, each preceded by its length), then the HTML gzip-compressed (without a time)."""
    parts = [MAGIC, struct.pack(">I", len(images))]
    for image in images:
        marker, mime = image.marker.encode("ascii"), image.mime.encode("ascii")
        parts += [struct.pack(">H", len(marker)), marker, struct.pack(">H", len(mime)), mime]
        parts += [struct.pack(">I", len(image.data)), image.data]
    parts.append(gzip.compress(html.encode("utf-8"), compresslevel=9, mtime=0))
    return b"".join(parts)


def unpack(data: bytes) -> tuple[str, list[Embedded]]:
    """`pack` undone: the HTML with its markers, and the images."""
    if data[:4] != MAGIC:
        raise ValueError("not a packed page")
    (count,) = struct.unpack_from(">I", data, 4)
    at = 8
    images = []
    for _ in range(count):
        (size,) = struct.unpack_from(">H", data, at)
        marker = data[at + 2 : at + 2 + size].decode("ascii")
        at += 2 + size
        (size,) = struct.unpack_from(">H", data, at)
        mime = data[at + 2 : at + 2 + size].decode("ascii")
        at += 2 + size
        (size,) = struct.unpack_from(">I", data, at)
        images.append(Embedded(marker, mime, data[at + 4 : at + 4 + size]))
        at += 4 + size
    return gzip.decompress(data[at:]).decode("utf-8"), images


def fill(html: str, images: list[Embedded]) -> str:
    """The HTML with each marker replaced by its image's data: URL (what unlock.js does)."""
    for image in images:
        html = html.replace(image.marker, image.data_url())
    return html


def assemble(packed: bytes) -> str:
    """The page a packed plaintext stands for, as the browser shows it."""
    return fill(*unpack(packed))


class Salts:
    """A random salt per case study, kept in .portfolio-cache/ so an unchanged site
    rebuilds byte for byte; read even with --no-cache (it is state, not a result that
    could be made again), and a new one for every study if the file is deleted."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        data = cache.read_state(SALTS)
        self._salts: dict[str, str] = {}
        if isinstance(data, dict):
            self._salts = {k: v for k, v in data.items() if isinstance(v, str) and _is_salt(v)}
        self._changed = False

    def salt(self, study: str) -> bytes:
        """The salt of the case study read from `study` (its source file)."""
        found = self._salts.get(study)
        if found is None:
            found = base64.b64encode(os.urandom(SALT_BYTES)).decode("ascii")
            self._salts[study] = found
            self._changed = True
        return base64.b64decode(found)

    def save(self) -> None:
        if self._changed:
            self.cache.write_state(SALTS, dict(sorted(self._salts.items())))
            self._changed = False


def _is_salt(text: str) -> bool:
    try:
        return len(base64.b64decode(text, validate=True)) == SALT_BYTES
    except ValueError:
        return False


class Vault:
    """The keys of one build: each case study's salt, its password from the environment,
    and what the build used (for the replay's check that no password changed)."""

    def __init__(self, salts: Salts, environment: Mapping[str, str] | None = None) -> None:
        self.salts = salts
        self.env = os.environ if environment is None else environment
        # Variable -> (salt, digest of the key) of one page it opened: enough to tell, at
        # the next build, whether that variable still holds the same password.
        self.used: dict[str, tuple[str, str]] = {}

    def password(self, variable: str) -> str:
        value = self.env.get(variable)
        if not value:  # site.py withholds the study before it gets here
            raise KeyError(f"no password in {variable}")
        return value

    def key(self, study: str, variable: str) -> tuple[bytes, bytes]:
        """(salt, key) of the case study read from `study`, under the password in `variable`."""
        salt = self.salts.salt(study)
        key = derive_key(self.password(variable), salt)
        self.used.setdefault(variable, (base64.b64encode(salt).decode("ascii"), key_digest(key)))
        return salt, key


def same_passwords(used: Mapping[str, object], environment: Mapping[str, str] | None = None) -> bool:
    """Whether each variable a build read a password from (or found empty, as None) holds
    the same password now: a replayed build would otherwise keep the old encryption."""
    env = os.environ if environment is None else environment
    for variable, known in used.items():
        value = env.get(variable) or None
        if known is None or value is None:
            if (known is None) != (value is None):
                return False
            continue
        if not isinstance(known, list | tuple) or [type(k) for k in known] != [str, str]:
            return False
        salt, digest = known
        try:
            raw_salt = base64.b64decode(salt, validate=True)
        except ValueError:
            return False
        if key_digest(derive_key(value, raw_salt)) != digest:
            return False
    return True
