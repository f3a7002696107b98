"""The live read side: what already exists in the Organization, read with boto3, read-only.

Settings are boto3's own (profile, region, `AWS_ENDPOINT_URL`), so the same code reads a real
Organization and the local AWS API server the tests start. Nothing here writes to AWS.
"""
