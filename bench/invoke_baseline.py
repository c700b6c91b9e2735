#!/usr/bin/env python3
"""bench/invoke_baseline.py: the Python (boto3) baseline for bench/run's cold custom resource invocation.

Does, for a Custom::Truststore Create event, what com.mtlsgateway.truststore.TruststoreHandler does (see
TruststoreStager and CustomResourceHandler), with the same S3 calls in the same order:
  1. S3 GetObject of SourceUri (read at most 1,000,001 bytes);
  2. validates the bundle (bench/truststore_baseline.py's validate: parse, checks, signatures); findings: FAILED;
  3. S3 GetBucketVersioning of StagingBucket (must be Enabled);
  4. S3 HeadObject of StagingKey (a 404 means not staged yet; the same SHA-256 in its metadata means reuse it);
  5. S3 PutObject of the bundle to StagingKey, Content-Type application/x-pem-file, metadata sha256=<hex>;
  6. an HTTP PUT of the JSON response (Status, PhysicalResourceId s3://StagingBucket/StagingKey, StackId, RequestId,
     LogicalResourceId, NoEcho, Data: TruststoreUri, TruststoreVersion, CertificateCount, Sha256, EarliestExpiry,
     Findings) to the ResponseURL, with an empty Content-Type, as the handler sends it.
The SDK goes where AWS_ENDPOINT_URL points (moto in bench/run), in AWS_REGION, with the credentials in the
environment. Log lines (JSON) go to stderr, the response body to stdout.

    bench/invoke_baseline.py EVENT_FILE     # exit 0 when a SUCCESS response was delivered, 1 otherwise
"""
import json
import os
import sys
import time
import urllib.request
from urllib.parse import urlparse

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import truststore_baseline  # noqa: E402 (next to this file)

MAX_BYTES = 1_000_000
CONTENT_TYPE = "application/x-pem-file"


def log(**fields):
    print(json.dumps(fields), file=sys.stderr, flush=True)


def stage(s3, bucket, key, bundle, sha256):
    """The VersionId of the staged bundle and whether an existing version was reused."""
    status = s3.get_bucket_versioning(Bucket=bucket).get("Status")
    if status != "Enabled":
        raise RuntimeError(f"StagingBucket {bucket} does not have versioning enabled (status: {status})")
    try:
        head = s3.head_object(Bucket=bucket, Key=key)
    except ClientError as e:
        if e.response.get("ResponseMetadata", {}).get("HTTPStatusCode") != 404:
            raise
        head = None
    if (head is not None and head.get("VersionId") not in (None, "", "null")
            and head.get("ContentLength") == len(bundle) and head.get("Metadata", {}).get("sha256") == sha256):
        return head["VersionId"], True
    put = s3.put_object(Bucket=bucket, Key=key, Body=bundle, ContentType=CONTENT_TYPE, Metadata={"sha256": sha256})
    version = put.get("VersionId")
    if version in (None, "", "null"):
        raise RuntimeError(f"StagingBucket {bucket}: versioning was switched off")
    return version, False


def main(argv):
    if len(argv) != 2:
        print("usage: invoke_baseline.py EVENT_FILE", file=sys.stderr)
        return 2
    start = time.monotonic()
    with open(argv[1], "rb") as f:
        event = json.load(f)
    props = event["ResourceProperties"]
    source = urlparse(props["SourceUri"])
    bucket, key = props["StagingBucket"], props["StagingKey"]
    uri = f"s3://{bucket}/{key}"
    response = {"Status": "SUCCESS", "PhysicalResourceId": uri, "StackId": event["StackId"],
                "RequestId": event["RequestId"], "LogicalResourceId": event["LogicalResourceId"], "NoEcho": False}
    try:
        s3 = boto3.client("s3", region_name=os.environ.get("AWS_REGION"),
                          config=Config(s3={"addressing_style": "path"}))
        body = s3.get_object(Bucket=source.netloc, Key=source.path.lstrip("/"))["Body"]
        bundle = body.read(MAX_BYTES + 1)
        body.close()
        report = truststore_baseline.validate(bundle)
        log(event="truststore.validated", requestId=event["RequestId"], valid=report["valid"],
            certificateCount=report["certificates"], sha256=report["sha256"], findings=report["findings"])
        if not report["valid"]:
            raise RuntimeError(f"{props['SourceUri']}: findings {report['findings']}")
        version, reused = stage(s3, bucket, key, bundle, report["sha256"])
        log(event="truststore.staged", requestId=event["RequestId"], truststoreUri=uri, truststoreVersion=version,
            reused=reused)
        response["Data"] = {"TruststoreUri": uri, "TruststoreVersion": version,
                            "CertificateCount": str(report["certificates"]), "Sha256": report["sha256"],
                            "EarliestExpiry": (report["earliest_expiry"] or "").replace("+00:00", "Z"),
                            "Findings": "none"}
    except Exception as e:  # any failure is a FAILED response, as in the handler
        response.update(Status="FAILED", Reason=f"{type(e).__name__}: {e}",
                        PhysicalResourceId=f"mtls-gateway:create-failed:{event['RequestId']}")
    data = json.dumps(response).encode()
    request = urllib.request.Request(event["ResponseURL"], data=data, method="PUT",
                                     headers={"Content-Type": "", "Content-Length": str(len(data))})
    delivered = False
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            delivered = 200 <= answer.status < 300
    except OSError as e:
        log(message="response PUT failed", result=type(e).__name__)
    print(data.decode())
    log(requestType=event["RequestType"], resourceType=event["ResourceType"], status=response["Status"],
        delivered=delivered, durationMs=round((time.monotonic() - start) * 1000))
    return 0 if delivered and response["Status"] == "SUCCESS" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
