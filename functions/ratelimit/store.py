"""Token buckets in DynamoDB, one item per account, changed only by conditional writes."""
from __future__ import annotations

from botocore.exceptions import ClientError

from functions.common.dynamo import from_item, to_item, values
from functions.ratelimit.bucket import BucketState, Decision, take


def consume(ddb, table: str, account_id: str, *, now: float, per_minute: int, burst: int,
            attempts: int = 10) -> Decision:
    bucket_id = f"account#{account_id}"
    decision: Decision | None = None
    for _ in range(attempts):
        item = from_item(ddb.get_item(TableName=table, Key={"bucket_id": {"S": bucket_id}},
                                      ConsistentRead=True).get("Item"))
        state = BucketState(tokens=float(item["tokens"]), updated=float(item["updated"])) if item else None
        decision = take(state, now=now, per_minute=per_minute, burst=burst)
        if not decision.allowed:
            return decision  # nothing to write: refusing does not change the bucket
        new_item = {"bucket_id": bucket_id, "tokens": decision.state.tokens, "updated": decision.state.updated,
                    # an idle bucket is full again after reset_seconds; TTL then only drops a full bucket
                    "expires_at": int(now) + decision.reset_seconds + 3600}
        try:
            if item is None:
                ddb.put_item(TableName=table, Item=to_item(new_item),
                             ConditionExpression="attribute_not_exists(bucket_id)")
            else:
                ddb.put_item(TableName=table, Item=to_item(new_item), ConditionExpression="updated = :u",
                             ExpressionAttributeValues=values({":u": state.updated}))
            return decision
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
    # Lost every race: the bucket is that busy, so tell the caller to slow down.
    assert decision is not None
    return Decision(allowed=False, state=decision.state, limit=decision.limit, remaining=0,
                    reset_seconds=decision.reset_seconds, retry_after=1)
