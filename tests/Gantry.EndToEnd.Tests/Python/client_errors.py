"""What a boto3 call answered, for the scripts' JSON: {"status": 200}, or the HTTP status and error Code of its ClientError."""
import botocore.exceptions


def error_of(call, **kwargs):
    try:
        call(**kwargs)
        return {"status": 200}
    except botocore.exceptions.ClientError as error:
        return {"status": error.response["ResponseMetadata"]["HTTPStatusCode"], "code": error.response["Error"]["Code"]}
