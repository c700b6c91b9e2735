#!/usr/bin/env python3
"""bench/invoke_setup.py: prepares moto and the events for bench/run's cold custom resource invocations.

Creates the source and staging buckets (versioning enabled on both, as template.yaml does for the staging bucket),
uploads BUNDLE as the source object, and writes, from TEMPLATE (events/truststore-create.json), one Create event per
run (0 to LAST) and per SIDE (default: java python) into OUT_DIR as <side>-<i>.json, each with its own StagingKey
(so that every run does the full GetObject, GetBucketVersioning, HeadObject 404, PutObject sequence) and its own
ResponseURL RECEIVER_URL/<side>-<i> (bench/receiver.py keeps each body under that name). Uses boto3 with
AWS_ENDPOINT_URL.

    bench/invoke_setup.py BUNDLE TEMPLATE OUT_DIR LAST RECEIVER_URL [SIDE...]
"""
import json
import os
import sys

import boto3
from botocore.config import Config

SOURCE_BUCKET = "bench-source"
SOURCE_KEY = "ca-bundle.pem"
STAGING_BUCKET = "bench-truststore"


def main(argv):
    if len(argv) < 6:
        print("usage: invoke_setup.py BUNDLE TEMPLATE OUT_DIR LAST RECEIVER_URL [SIDE...]", file=sys.stderr)
        return 2
    bundle_file, template_file, out_dir, last, receiver = argv[1], argv[2], argv[3], int(argv[4]), argv[5]
    sides = argv[6:] or ["java", "python"]
    s3 = boto3.client("s3", region_name=os.environ.get("AWS_REGION"), config=Config(s3={"addressing_style": "path"}))
    for bucket in (SOURCE_BUCKET, STAGING_BUCKET):
        s3.create_bucket(Bucket=bucket)
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    with open(bundle_file, "rb") as f:
        s3.put_object(Bucket=SOURCE_BUCKET, Key=SOURCE_KEY, Body=f.read(), ContentType="application/x-pem-file")
    with open(template_file) as f:
        template = json.load(f)
    for side in sides:
        for i in range(0, last + 1):
            event = json.loads(json.dumps(template))
            event["ResponseURL"] = f"{receiver.rstrip('/')}/{side}-{i}"
            event["RequestId"] = f"bench-{side}-{i}"
            props = event["ResourceProperties"]
            props["SourceUri"] = f"s3://{SOURCE_BUCKET}/{SOURCE_KEY}"
            props["StagingBucket"] = STAGING_BUCKET
            props["StagingKey"] = f"bench/{side}-{i}/truststore.pem"
            props["AcceptWarnings"] = "false"
            with open(os.path.join(out_dir, f"{side}-{i}.json"), "w") as f:
                json.dump(event, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
