#!/usr/bin/env python3
"""The revocation baseline for bench/run: the approach of AWS's sample authorizer (aws-samples/
api-gateway-crl-verification): the revoked serial numbers in one Python set or dict, matched on the serial alone
(not on the issuer), the client certificate parsed with pyca/cryptography.

  revocation_baseline.py load DIR CLIENT_PEM EXPECTED [--mode crl|json]
  revocation_baseline.py prepare DIR
  revocation_baseline.py warm DIR [--mode crl|json] [--seconds S]

DIR is the folder RevocationData wrote (crl-NN.der, client-revoked.pem, client-valid.pem).

load: what a new authorizer does before its first answer, timed from the first file read to that answer:
  --mode crl (the default): reads every DIR/crl-*.der, x509.load_der_x509_crl, and puts every entry's serial
    number (an int) in one set; then parses CLIENT_PEM (x509.load_pem_x509_certificate) and looks its serial up.
  --mode json: what the sample's authorizer loads: a JSON object whose keys are the serials as hex(serial)
    (DIR/serials.json, which `prepare` writes from the CRLs, as the sample's CRL-processing function does), and
    looks up hex(client serial).
  EXPECTED is "revoked" or "not-revoked". Prints LOAD_MS, the parts, HEAP_BYTES (the set's or dict's size with its
  keys, sys.getsizeof) and MAXRSS_KB (peak RSS, getrusage). Exit 1 when the answer is not EXPECTED.
prepare: writes DIR/serials.json; prints PREPARE_MS (read, parse and write).
warm: after a load, the decision (parse the PEM, look the serial up) and the lookup alone, each for the revoked
  and the valid client, repeated for S seconds (default 2) in 5 rounds; prints the median round's microseconds per
  operation: WARM_DECIDE_US_REVOKED, WARM_DECIDE_US_NOT_REVOKED, WARM_LOOKUP_US_REVOKED, WARM_LOOKUP_US_NOT_REVOKED.
"""

import argparse
import glob
import json
import os
import resource
import statistics
import sys
import time

from cryptography import x509


def crl_files(folder):
    files = sorted(glob.glob(os.path.join(folder, "crl-*.der")))
    if not files:
        sys.exit("no crl-*.der in %s" % folder)
    return files


def load_crls(folder):
    serials = set()
    entries = 0
    for path in crl_files(folder):
        with open(path, "rb") as f:
            crl = x509.load_der_x509_crl(f.read())
        for revoked in crl:
            serials.add(revoked.serial_number)
            entries += 1
    return serials, entries


def load_json(folder):
    with open(os.path.join(folder, "serials.json"), "rb") as f:
        serials = json.load(f)
    return serials, len(serials)


def key(mode, certificate):
    return hex(certificate.serial_number) if mode == "json" else certificate.serial_number


def decide(mode, serials, pem):
    certificate = x509.load_pem_x509_certificate(pem)
    return "revoked" if key(mode, certificate) in serials else "not-revoked"


def size_of(serials):
    """The set's or dict's table and its keys (a dict's values are one shared empty string)."""
    return sys.getsizeof(serials) + sum(sys.getsizeof(k) for k in serials)


def command_load(args):
    with open(args.client, "rb") as f:
        pem = f.read()
    started = time.perf_counter()
    serials, entries = (load_json if args.mode == "json" else load_crls)(args.dir)
    loaded = time.perf_counter()
    answer = decide(args.mode, serials, pem)
    decided = time.perf_counter()
    print("LOAD_MS %.1f" % ((decided - started) * 1000))
    print("LOAD_PARSE_MS %.1f" % ((loaded - started) * 1000))
    print("FIRST_DECISION_US %d" % ((decided - loaded) * 1e6))
    print("ENTRIES %d" % entries)
    print("HEAP_BYTES %d" % size_of(serials))
    print("MAXRSS_KB %d" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    if answer != args.expected:
        print("the client is %s, expected %s" % (answer, args.expected), file=sys.stderr)
        return 1
    return 0


def command_prepare(args):
    started = time.perf_counter()
    serials, _ = load_crls(args.dir)
    # As the sample's CRL processing function writes it: serials as hex(), in a JSON object.
    with open(os.path.join(args.dir, "serials.json"), "w") as f:
        json.dump({hex(s): "" for s in serials}, f)
    print("PREPARE_MS %.1f" % ((time.perf_counter() - started) * 1000))
    return 0


def per_op_us(operation, seconds):
    """Median over 5 rounds of the time per call, in microseconds; each round runs about seconds / 5."""
    n = 1
    while True:  # calibrate: calls per round
        t = time.perf_counter()
        for _ in range(n):
            operation()
        if time.perf_counter() - t > 0.05:
            break
        n *= 2
    per_round = max(1, int(n * (seconds / 5) / (time.perf_counter() - t)))
    rounds = []
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(per_round):
            operation()
        rounds.append((time.perf_counter() - t) / per_round * 1e6)
    return statistics.median(rounds)


def command_warm(args):
    serials, _ = (load_json if args.mode == "json" else load_crls)(args.dir)
    for name, file, expected in (("REVOKED", "client-revoked.pem", "revoked"),
                                 ("NOT_REVOKED", "client-valid.pem", "not-revoked")):
        with open(os.path.join(args.dir, file), "rb") as f:
            pem = f.read()
        if decide(args.mode, serials, pem) != expected:
            print("the %s client is not %s" % (file, expected), file=sys.stderr)
            return 1
        k = key(args.mode, x509.load_pem_x509_certificate(pem))
        print("WARM_DECIDE_US_%s %.3f" % (name, per_op_us(lambda: decide(args.mode, serials, pem), args.seconds)))
        print("WARM_LOOKUP_US_%s %.4f" % (name, per_op_us(lambda: k in serials, args.seconds)))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("load")
    load.add_argument("dir")
    load.add_argument("client")
    load.add_argument("expected", choices=("revoked", "not-revoked"))
    load.add_argument("--mode", choices=("crl", "json"), default="crl")
    prepare = commands.add_parser("prepare")
    prepare.add_argument("dir")
    warm = commands.add_parser("warm")
    warm.add_argument("dir")
    warm.add_argument("--mode", choices=("crl", "json"), default="crl")
    warm.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    return {"load": command_load, "prepare": command_prepare, "warm": command_warm}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
