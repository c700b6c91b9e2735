#!/usr/bin/env python3
"""bench/truststore_baseline.py: the Python baseline that bench/run compares `bin/mtls truststore validate` with.

Validates a PEM truststore bundle the way com.mtlsgateway.truststore.TruststoreValidator does, with pyca/cryptography
(OpenSSL or AWS-LC inside, through Rust), in one thread: the bundle's SHA-256; every certificate parsed once
(x509.load_pem_x509_certificates); its SHA-256 fingerprint, later copies of a certificate dropped (DUPLICATE); the
validity window (EXPIRED, NOT_YET_VALID, EXPIRES_SOON within 30 days); the signature hash (WEAK_SIGNATURE below
SHA-256) and the key (WEAK_KEY: RSA under 2048 bits, EC under 256); basicConstraints CA:TRUE (NOT_CA); the issuer
looked up by subject name in a dict keyed by x509.Name (the key identifier first when several share the name), and
the signature verified with that issuer's public key, a self-issued certificate's with its own key (BAD_SIGNATURE,
CHAIN_INCOMPLETE); chain depth at most 4 CAs (CHAIN_TOO_DEEP). It does not write the Java tool's messages, only
counts findings by code: the work is the same, the prose is not.

    bench/truststore_baseline.py FILE [--json]     # one validation, then a JSON summary (a fresh process: "cold")
    bench/truststore_baseline.py FILE --repeat N   # warm: 2 untimed validations, then N timed ones in this process;
                                                   # adds "median_ms" (per validation) and prints a line
                                                   # "BASELINE_WARM_MEDIAN_MS <ms>"
    --expect-certificates N --expect-verified N    # exit 3 unless the bundle had N certificates and N signatures
                                                   # verified (bench/run checks the counts with these)

Exit status: 0 valid, 1 findings, 2 usage or unreadable file, 3 counts not as expected.
Threads would not help: cryptography holds the GIL while it verifies (measured: 2 threads are slower than one).
"""
import argparse
import hashlib
import json
import statistics
import sys
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa

MAX_CA_DEPTH = 4
EXPIRES_SOON = timedelta(days=30)
MIN_RSA_BITS = 2048
MIN_EC_BITS = 256
WEAK_HASHES = {"md5", "sha1", "sha224", "sha512-224", "sha3-224"}
ERRORS = {"NOT_CA", "CHAIN_INCOMPLETE", "BAD_SIGNATURE", "CHAIN_TOO_DEEP", "WEAK_SIGNATURE", "WEAK_KEY", "EXPIRED",
          "NOT_YET_VALID"}


def verifies(cert, key):
    """True when `key` verifies the signature of `cert` (the signature's own algorithm and hash, as in the cert)."""
    try:
        params = cert.signature_algorithm_parameters  # PKCS1v15(), PSS(...) or ECDSA(hash) (cryptography >= 41)
        algorithm = cert.signature_hash_algorithm
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(cert.signature, cert.tbs_certificate_bytes, params, algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(cert.signature, cert.tbs_certificate_bytes, params)
        elif isinstance(key, (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)):
            key.verify(cert.signature, cert.tbs_certificate_bytes)
        elif isinstance(key, dsa.DSAPublicKey):
            key.verify(cert.signature, cert.tbs_certificate_bytes, algorithm)
        else:
            return False
        return True
    except (InvalidSignature, UnsupportedAlgorithm, TypeError, ValueError):
        # A wrong key type for the algorithm (TypeError), or a signature that does not match.
        return False


def key_identifier(cert, extension_class, attribute):
    try:
        return getattr(cert.extensions.get_extension_for_class(extension_class).value, attribute)
    except x509.ExtensionNotFound:
        return None


def validate(bundle, now=None):
    """The summary of one validation of `bundle` (bytes): counts, findings by code, the bundle's SHA-256."""
    now = now or datetime.now(timezone.utc)
    findings = Counter()
    bundle_sha256 = hashlib.sha256(bundle).hexdigest()
    certificates = x509.load_pem_x509_certificates(bundle)
    seen = set()
    unique = []
    earliest_expiry = None
    for cert in certificates:
        not_after = cert.not_valid_after_utc
        earliest_expiry = not_after if earliest_expiry is None or not_after < earliest_expiry else earliest_expiry
        fingerprint = cert.fingerprint(hashes.SHA256())
        if fingerprint in seen:
            findings["DUPLICATE"] += 1
            continue
        seen.add(fingerprint)
        unique.append(cert)

    by_subject = {}
    for cert in unique:
        by_subject.setdefault(cert.subject, []).append(cert)
        if now > cert.not_valid_after_utc:
            findings["EXPIRED"] += 1
        elif now < cert.not_valid_before_utc:
            findings["NOT_YET_VALID"] += 1
        elif cert.not_valid_after_utc <= now + EXPIRES_SOON:
            findings["EXPIRES_SOON"] += 1
        try:
            digest = cert.signature_hash_algorithm
        except UnsupportedAlgorithm:
            digest = None
        if digest is None or digest.name in WEAK_HASHES:
            findings["WEAK_SIGNATURE"] += 1
        key = cert.public_key()
        if isinstance(key, rsa.RSAPublicKey):
            weak_key = key.key_size < MIN_RSA_BITS
        elif isinstance(key, ec.EllipticCurvePublicKey):
            weak_key = key.curve.key_size < MIN_EC_BITS
        else:
            weak_key = True
        if weak_key:
            findings["WEAK_KEY"] += 1
        try:
            is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        except x509.ExtensionNotFound:
            is_ca = False
        if not is_ca:
            findings["NOT_CA"] += 1

    # Issuers: by subject name; the signature checked with the issuer's key (a self-issued one's with its own).
    parent = {}  # id(cert) -> issuer cert, for the depth walk
    attempted = verified = 0
    with_issuer = 0  # certificates whose issuer (or own key, when self-issued) is in the bundle
    for cert in unique:
        if cert.issuer == cert.subject:
            with_issuer += 1
            attempted += 1
            if verifies(cert, cert.public_key()):
                verified += 1
                continue
        candidates = [c for c in by_subject.get(cert.issuer, ()) if c is not cert]
        if len(candidates) > 1:
            wanted = key_identifier(cert, x509.AuthorityKeyIdentifier, "key_identifier")
            if wanted is not None:
                candidates.sort(key=lambda c: key_identifier(c, x509.SubjectKeyIdentifier, "digest") != wanted)
        if candidates and cert.issuer != cert.subject:
            with_issuer += 1
        for candidate in candidates:
            attempted += 1
            if verifies(cert, candidate.public_key()):
                verified += 1
                parent[id(cert)] = candidate
                break
        else:
            if candidates or cert.issuer == cert.subject:
                findings["BAD_SIGNATURE"] += 1
            else:
                findings["CHAIN_INCOMPLETE"] += 1

    depth = {}
    for cert in unique:
        path = []
        current = cert
        while current is not None and id(current) not in depth and current not in path:
            path.append(current)
            current = parent.get(id(current))
        base = depth.get(id(current), 0) if current is not None else 0
        for item in reversed(path):
            base += 1
            depth[id(item)] = base
        if depth[id(cert)] > MAX_CA_DEPTH:
            findings["CHAIN_TOO_DEEP"] += 1

    return {
        "certificates": len(certificates),
        "unique": len(unique),
        "with_issuer_in_bundle": with_issuer,
        "signatures_attempted": attempted,
        "signatures_verified": verified,
        "valid": not findings,
        "findings": dict(sorted(findings.items())),
        "sha256": bundle_sha256,
        "earliest_expiry": earliest_expiry.isoformat() if earliest_expiry else None,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON (the default anyway)")
    parser.add_argument("--repeat", type=int, default=0, help="warm mode: N timed validations in this process")
    parser.add_argument("--expect-certificates", type=int)
    parser.add_argument("--expect-verified", type=int)
    args = parser.parse_args(argv)
    try:
        with open(args.file, "rb") as f:
            bundle = f.read()
    except OSError as e:
        print(f"truststore_baseline: {e}", file=sys.stderr)
        return 2

    summary = validate(bundle)
    if args.repeat > 0:
        validate(bundle)  # warm-up: the first two already ran the same code paths
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            validate(bundle)
            times.append((time.perf_counter() - start) * 1000)
        summary["repeat"] = args.repeat
        summary["median_ms"] = round(statistics.median(times), 3)
        summary["min_ms"] = round(min(times), 3)
        summary["max_ms"] = round(max(times), 3)
    print(json.dumps(summary))
    if args.repeat > 0:
        print(f"BASELINE_WARM_MEDIAN_MS {summary['median_ms']}")

    # Every certificate whose issuer is in the bundle (or that is self-issued) was checked, and the counts are
    # consistent: anything else means this baseline skipped work, and its times would flatter it.
    problems = []
    if summary["signatures_attempted"] < summary["with_issuer_in_bundle"]:
        problems.append("fewer signature checks than certificates with an issuer in the bundle")
    if summary["signatures_verified"] + summary["findings"].get("BAD_SIGNATURE", 0) != summary["with_issuer_in_bundle"]:
        problems.append("verified + bad signatures != certificates with an issuer in the bundle")
    if args.expect_certificates is not None and summary["certificates"] != args.expect_certificates:
        problems.append(f"{summary['certificates']} certificates, expected {args.expect_certificates}")
    if args.expect_verified is not None and summary["signatures_verified"] != args.expect_verified:
        problems.append(f"{summary['signatures_verified']} signatures verified, expected {args.expect_verified}")
    if problems:
        print("truststore_baseline: implausible result: " + "; ".join(problems), file=sys.stderr)
        return 3
    return 0 if summary["valid"] else 1


if __name__ == "__main__":
    sys.exit(main())
