"""An implementation of Latchkey's AES-GCM token format (layouts 0x01, timed, and 0x02, untimed)
written from docs/encryption.md alone, on pyca/cryptography, to show that the specification is
enough.

    python3 reference.py check vectors.json   # checks every vector, prints "ok N"
    KEYS=lkk.…,lkk.… python3 reference.py decrypt PART_HEX...  < tokens (one per line)
        prints "PLAINTEXT_HEX TIMESTAMP", or "PLAINTEXT_HEX none" for an untimed token
    KEY=lkk.… python3 reference.py encrypt TIMESTAMP|none PART_HEX... < plaintexts (hex, one per line)
        a timestamp writes the timed layout, "none" the untimed one
"""
import base64
import binascii
import hashlib
import hmac
import json
import os
import struct
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

TIMED = 0x01
UNTIMED = 0x02
KEY_PREFIX = "lkk."
TOKEN_PREFIX = "lk."
TAG = 16
UNTIMED_OVERHEAD = 1 + 4 + 12 + TAG
TIMED_OVERHEAD = 1 + 4 + 8 + 12 + TAG


class Rejected(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def b64_strict(text):
    """URL-safe base64 with padding, in its one canonical spelling only."""
    try:
        raw = base64.urlsafe_b64decode(text.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None
    return raw if base64.urlsafe_b64encode(raw).decode("ascii") == text else None


def parse_key(text):
    text = text.strip()
    if not text.startswith(KEY_PREFIX):
        raise ValueError("not an AES-GCM key")
    raw = b64_strict(text[len(KEY_PREFIX):])
    if raw is None or len(raw) != 32:
        raise ValueError("not an AES-GCM key")
    return raw


def encode_key(raw):
    return KEY_PREFIX + base64.urlsafe_b64encode(raw).decode("ascii")


def key_id(raw):
    return hmac.new(raw, b"latchkey/aes-gcm/key-id", hashlib.sha256).digest()[:4]


def derive(master, label):
    info = b"latchkey/aes-gcm/key:" + label.encode("utf-8")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)


def encode_ad(parts):
    return b"".join(struct.pack(">I", len(p)) + p for p in parts)


def additional_data(header, parts):
    """The GCM additional data: a timed token's 13-byte header, then A; an untimed token's A."""
    timed = header[0] == TIMED
    return (header if timed else b"") + encode_ad(parts)


def encrypt(key, plaintext, parts, timestamp=None, nonce=None):
    """The timed layout when a timestamp is given, else the untimed one."""
    nonce = os.urandom(12) if nonce is None else nonce
    if timestamp is None:
        header = bytes([UNTIMED]) + key_id(key)
    else:
        header = bytes([TIMED]) + key_id(key) + struct.pack(">Q", timestamp)
    sealed = AESGCM(key).encrypt(nonce, plaintext, additional_data(header, parts) or None)
    return TOKEN_PREFIX + base64.urlsafe_b64encode(header + nonce + sealed).decode("ascii")


def decrypt(keys, token, parts):
    """Returns (plaintext, timestamp or None); raises Rejected with the reason's name."""
    if not token.startswith(TOKEN_PREFIX):
        raise Rejected("MALFORMED")
    raw = b64_strict(token[len(TOKEN_PREFIX):])
    if raw is None or len(raw) < UNTIMED_OVERHEAD:
        raise Rejected("MALFORMED")
    if raw[0] not in (TIMED, UNTIMED):
        raise Rejected("UNSUPPORTED_VERSION")
    timed = raw[0] == TIMED
    if timed and len(raw) < TIMED_OVERHEAD:
        raise Rejected("MALFORMED")
    by_id = {key_id(k): k for k in keys}
    key = by_id.get(raw[1:5])
    if key is None:
        raise Rejected("WRONG_KEY_OR_TAMPERED")
    nonce_at = 13 if timed else 5
    header, nonce, sealed = raw[:nonce_at], raw[nonce_at:nonce_at + 12], raw[nonce_at + 12:]
    try:
        plaintext = AESGCM(key).decrypt(nonce, sealed, additional_data(header, parts) or None)
    except InvalidTag:
        raise Rejected("WRONG_KEY_OR_TAMPERED")
    return plaintext, struct.unpack(">Q", raw[5:13])[0] if timed else None


def check(path):
    with open(path, encoding="utf-8") as f:
        vectors = json.load(f)
    n = 0
    for v in vectors["valid"] + vectors["valid_untimed"]:
        key = parse_key(v["key"])
        assert key.hex() == v["key_hex"], v["description"]
        assert key_id(key).hex() == v["key_id"], v["description"]
        parts = [bytes.fromhex(p) for p in v["associated_data_hex"]]
        timestamp = v.get("timestamp")
        token = encrypt(key, bytes.fromhex(v["plaintext_hex"]), parts, timestamp,
                        bytes.fromhex(v["nonce_hex"]))
        assert token == v["token"], v["description"]
        raw = base64.urlsafe_b64decode(token[3:])
        assert raw.hex() == v["token_hex"], v["description"]
        if timestamp is None:
            header = bytes([UNTIMED]) + key_id(key)
            assert raw[0] == UNTIMED and len(raw) == UNTIMED_OVERHEAD + len(v["plaintext_hex"]) // 2
        else:
            header = bytes([TIMED]) + key_id(key) + struct.pack(">Q", timestamp)
        assert additional_data(header, parts).hex() == v["gcm_additional_data_hex"], v["description"]
        plaintext, ts = decrypt([key], v["token"], parts)
        assert plaintext.hex() == v["plaintext_hex"] and ts == timestamp, v["description"]
        n += 1
    for d in vectors["derive"]:
        assert encode_key(derive(d["master"].encode("utf-8"), d["label"])) == d["key"], d
        n += 1
    for v in vectors["invalid"]:
        keys = [parse_key(k) for k in v["keys"]]
        parts = [bytes.fromhex(p) for p in v["associated_data_hex"]]
        try:
            decrypt(keys, v["token"], parts)
            raise AssertionError("accepted: " + v["description"])
        except Rejected as e:
            assert e.reason == v["reason"], (v["description"], e.reason)
        n += 1
    print("ok", n)


def main(args):
    if args[0] == "check":
        check(args[1])
    elif args[0] == "decrypt":
        keys = [parse_key(k) for k in os.environ["KEYS"].split(",")]
        parts = [bytes.fromhex(p) for p in args[1:]]
        for line in sys.stdin.read().split():
            try:
                plaintext, ts = decrypt(keys, line, parts)
                print(plaintext.hex(), "none" if ts is None else ts)
            except Rejected as e:
                print(e.reason)
    elif args[0] == "encrypt":
        key = parse_key(os.environ["KEY"])
        parts = [bytes.fromhex(p) for p in args[2:]]
        timestamp = None if args[1] == "none" else int(args[1])
        for line in sys.stdin.read().split():
            print(encrypt(key, bytes.fromhex(line), parts, timestamp))


if __name__ == "__main__":
    main(sys.argv[1:])
