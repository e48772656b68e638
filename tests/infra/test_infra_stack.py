"""The synthesized PixelForge template against infra/resources.py and docs/architecture.md."""
from __future__ import annotations

import fnmatch
from typing import Any

import pytest
from pixelforge_synth import Synthesized, synthesized

from infra.resources import (
    ASSET_PREFIX,
    BUCKET_ENV_VAR,
    EVENT_BUS_ENV_VAR,
    QUEUES,
    TABLES,
    TEMPORARY_PREFIXES,
    UPLOAD_PREFIX,
    WEBHOOK_RULE_PATTERN,
    function_environment_names,
    output_key,
)

API = "functions.api.handler.handler"
WORKER = "functions.worker.handler.handler"
DEAD_LETTER = "functions.worker.dead_letter.handler"
DISPATCHER = "functions.webhooks.handler.handler"

COMMON_ENV = {"POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE", "PIXELFORGE_STAGE",
              "PIXELFORGE_KEY_MODE"}
# The "needs" column of docs/architecture.md, written out independently of infra/.
EXPECTED_ENV = {
    API: {"ACCOUNTS_TABLE", "API_KEYS_TABLE", "JOBS_TABLE", "LEDGER_TABLE", "RATE_LIMITS_TABLE",
          "IDEMPOTENCY_TABLE", "DELIVERIES_TABLE", "PROJECTS_TABLE", "ASSETS_BUCKET", "JOBS_QUEUE_URL",
          "EVENT_BUS_NAME"},
    WORKER: {"JOBS_TABLE", "ACCOUNTS_TABLE", "LEDGER_TABLE", "ASSETS_BUCKET", "EVENT_BUS_NAME", "JOBS_QUEUE_URL"},
    DEAD_LETTER: {"JOBS_TABLE", "ACCOUNTS_TABLE", "LEDGER_TABLE", "EVENT_BUS_NAME"},
    DISPATCHER: {"ACCOUNTS_TABLE", "JOBS_TABLE", "DELIVERIES_TABLE", "ASSETS_BUCKET",
                 "WEBHOOKS_QUEUE_URL", "WEBHOOKS_DLQ_URL"},
}
DYNAMODB_WRITES = ("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
                   "dynamodb:BatchWriteItem")


@pytest.fixture(scope="module")
def synth() -> Synthesized:
    return synthesized()


# --- helpers over the raw template ------------------------------------------------------------

def ref_id(value: Any) -> str:
    if isinstance(value, dict) and "Ref" in value:
        return value["Ref"]
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return value["Fn::GetAtt"][0]
    raise AssertionError(f"not a reference: {value!r}")


def referenced_ids(value: Any) -> set[str]:
    """Logical ids referenced anywhere in value, plus "*" for a bare wildcard resource."""
    if value == "*":
        return {"*"}
    if isinstance(value, list):
        return set().union(*(referenced_ids(v) for v in value)) if value else set()
    if isinstance(value, dict):
        if "Ref" in value:
            return {value["Ref"]}
        if "Fn::GetAtt" in value:
            return {value["Fn::GetAtt"][0]}
        return set().union(*(referenced_ids(v) for v in value.values())) if value else set()
    return set()


def output_target(synth: Synthesized, env_var: str) -> str:
    return ref_id(synth.outputs[output_key(env_var)]["Value"])


def function(synth: Synthesized, handler: str) -> tuple[str, dict[str, Any]]:
    matches = [(k, v["Properties"]) for k, v in synth.of_type("AWS::Lambda::Function").items()
               if v["Properties"]["Handler"] == handler]
    assert len(matches) == 1, f"expected one function with handler {handler}, got {len(matches)}"
    return matches[0]


def statements(synth: Synthesized, handler: str) -> list[dict[str, Any]]:
    _, props = function(synth, handler)
    role_id = ref_id(props["Role"])
    role = synth.resources[role_id]["Properties"]
    found = [s for p in role.get("Policies", []) for s in p["PolicyDocument"]["Statement"]]
    for policy in synth.of_type("AWS::IAM::Policy").values():
        if {"Ref": role_id} in policy["Properties"].get("Roles", []):
            found += policy["Properties"]["PolicyDocument"]["Statement"]
    return found


def allows(synth: Synthesized, handler: str, action: str, resource_id: str, *, prefix: str | None = None) -> bool:
    """Whether the handler's role allows the action on the resource (on objects under `prefix`, if given)."""
    for statement in statements(synth, handler):
        if statement["Effect"] != "Allow":
            continue
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        if not any(fnmatch.fnmatchcase(action.lower(), a.lower()) for a in actions):
            continue
        targets = referenced_ids(statement["Resource"])
        if "*" in targets:
            return True
        if resource_id not in targets:
            continue
        if prefix is None:
            return True
        joins = [r for r in (statement["Resource"] if isinstance(statement["Resource"], list)
                             else [statement["Resource"]]) if isinstance(r, dict) and "Fn::Join" in r]
        if any(fnmatch.fnmatchcase(f"/{prefix}x", j["Fn::Join"][1][-1]) for j in joins):
            return True
    return False


def event_source_mappings(synth: Synthesized) -> list[tuple[str, dict[str, Any]]]:
    """(queue logical id, mapping properties) of every SQS event source mapping."""
    return [(ref_id(m["Properties"]["EventSourceArn"]), m["Properties"])
            for m in synth.of_type("AWS::Lambda::EventSourceMapping").values()]


def consumer_of(synth: Synthesized, queue_id: str) -> dict[str, Any]:
    functions = synth.of_type("AWS::Lambda::Function")
    [mapping] = [props for q, props in event_source_mappings(synth) if q == queue_id]
    return functions[ref_id(mapping["FunctionName"])]["Properties"]


# --- DynamoDB ----------------------------------------------------------------------------------

def test_the_stack_has_exactly_the_tables_of_resources_py(synth):
    assert len(synth.of_type("AWS::DynamoDB::Table")) == len(TABLES)


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_table_matches_its_definition(synth, table):
    resource = synth.resources[output_target(synth, table.env_var)]
    props = resource["Properties"]
    expected_keys = [{"AttributeName": table.partition_key, "KeyType": "HASH"}]
    if table.sort_key:
        expected_keys.append({"AttributeName": table.sort_key, "KeyType": "RANGE"})
    assert props["KeySchema"] == expected_keys
    assert all(a["AttributeType"] == "S" for a in props["AttributeDefinitions"])
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["SSESpecification"]["SSEEnabled"] is True

    if table.ttl_attribute:
        assert props["TimeToLiveSpecification"] == {"AttributeName": table.ttl_attribute, "Enabled": True}
    else:
        assert "TimeToLiveSpecification" not in props

    indexes = {i["IndexName"]: i for i in props.get("GlobalSecondaryIndexes", [])}
    assert set(indexes) == {i.name for i in table.indexes}
    for index in table.indexes:
        keys = [{"AttributeName": index.partition_key, "KeyType": "HASH"}]
        if index.sort_key:
            keys.append({"AttributeName": index.sort_key, "KeyType": "RANGE"})
        assert indexes[index.name]["KeySchema"] == keys
        assert indexes[index.name]["Projection"] == {"ProjectionType": "ALL"}


@pytest.mark.parametrize("name", ["accounts", "ledger"])
def test_money_tables_survive_stack_deletion(synth, name):
    [table] = [t for t in TABLES if t.name == name]
    resource = synth.resources[output_target(synth, table.env_var)]
    assert resource["DeletionPolicy"] == "Retain"
    assert resource["Properties"]["DeletionProtectionEnabled"] is True


# --- SQS -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("queue", QUEUES, ids=lambda q: q.name)
def test_queue_has_its_dead_letter_queue(synth, queue):
    queue_id = output_target(synth, queue.env_var)
    dlq_id = output_target(synth, queue.dlq_env_var)
    props = synth.resources[queue_id]["Properties"]
    assert props["RedrivePolicy"]["maxReceiveCount"] == queue.max_receive_count
    assert ref_id(props["RedrivePolicy"]["deadLetterTargetArn"]) == dlq_id
    assert synth.resources[dlq_id]["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600


def test_every_queue_is_encrypted_and_tls_only(synth):
    queues = synth.of_type("AWS::SQS::Queue")
    assert len(queues) == 2 * len(QUEUES)
    tls_only = set()
    for policy in synth.of_type("AWS::SQS::QueuePolicy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            if statement["Effect"] == "Deny" and statement.get("Condition") == {
                    "Bool": {"aws:SecureTransport": "false"}}:
                tls_only |= {ref_id(q) for q in policy["Properties"]["Queues"]}
    for queue_id, queue in queues.items():
        assert queue["Properties"]["SqsManagedSseEnabled"] is True, queue_id
        assert queue_id in tls_only, queue_id


def test_visibility_is_at_least_six_times_the_consumer_timeout(synth):
    mappings = event_source_mappings(synth)
    assert len(mappings) == 3  # jobs -> worker, jobs DLQ -> dead-letter, webhooks -> dispatcher
    for queue_id, _ in mappings:
        visibility = synth.resources[queue_id]["Properties"]["VisibilityTimeout"]
        assert visibility >= 6 * consumer_of(synth, queue_id)["Timeout"], queue_id


def test_each_queue_is_consumed_by_the_function_the_architecture_names(synth):
    assert consumer_of(synth, output_target(synth, "JOBS_QUEUE_URL"))["Handler"] == WORKER
    assert consumer_of(synth, output_target(synth, "JOBS_DLQ_URL"))["Handler"] == DEAD_LETTER
    assert consumer_of(synth, output_target(synth, "WEBHOOKS_QUEUE_URL"))["Handler"] == DISPATCHER


def test_event_source_mappings_report_batch_item_failures(synth):
    for queue_id, props in event_source_mappings(synth):
        assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"], queue_id
    worker = [p for q, p in event_source_mappings(synth) if consumer_of(synth, q)["Handler"] == WORKER]
    dispatcher = [p for q, p in event_source_mappings(synth)
                  if consumer_of(synth, q)["Handler"] == DISPATCHER]
    assert worker[0]["BatchSize"] == 1
    assert 1 <= dispatcher[0]["BatchSize"] <= 10


def test_each_dead_letter_queue_has_an_alarm(synth):
    alarmed = set()
    for alarm in synth.of_type("AWS::CloudWatch::Alarm").values():
        props = alarm["Properties"]
        if props.get("MetricName") != "ApproximateNumberOfMessagesVisible":
            continue
        assert props["Threshold"] == 1
        assert props["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
        alarmed |= {ref_id(d["Value"]) for d in props["Dimensions"] if d["Name"] == "QueueName"}
    assert alarmed == {output_target(synth, q.dlq_env_var) for q in QUEUES}


# --- Lambda ------------------------------------------------------------------------------------

def test_functions_are_arm64_python_312_or_newer_with_the_architecture_handlers(synth):
    functions = synth.of_type("AWS::Lambda::Function")
    assert {f["Properties"]["Handler"] for f in functions.values()} == set(EXPECTED_ENV)
    for logical_id, f in functions.items():
        props = f["Properties"]
        assert props["Architectures"] == ["arm64"], logical_id
        family, version = props["Runtime"][:6], props["Runtime"][6:]
        assert family == "python" and tuple(map(int, version.split("."))) >= (3, 12), logical_id
        assert props["TracingConfig"] == {"Mode": "Active"}, logical_id


@pytest.mark.parametrize(("handler", "timeout", "memory"), [
    (API, 29, 1024), (WORKER, 120, 2048), (DISPATCHER, 60, None),
])
def test_function_sizes(synth, handler, timeout, memory):
    _, props = function(synth, handler)
    assert props["Timeout"] == timeout
    if memory:
        assert props["MemorySize"] == memory


def test_every_function_log_group_has_a_retention(synth):
    log_groups = synth.of_type("AWS::Logs::LogGroup")
    for handler in EXPECTED_ENV:
        _, props = function(synth, handler)
        log_group = log_groups[ref_id(props["LoggingConfig"]["LogGroup"])]
        assert log_group["Properties"]["RetentionInDays"] > 0


def test_runtime_layer_everywhere_render_layer_on_the_worker_only(synth):
    layers = synth.of_type("AWS::Lambda::LayerVersion")
    by_description = {ref: layers[ref]["Properties"]["Description"] for ref in layers}
    runtime = next(k for k, d in by_description.items() if "runtime layer" in d)
    render = next(k for k, d in by_description.items() if "render layer" in d)
    for handler in EXPECTED_ENV:
        _, props = function(synth, handler)
        attached = {ref_id(layer) for layer in props["Layers"]}
        assert runtime in attached, handler
        assert (render in attached) == (handler == WORKER), handler
    for layer in layers.values():
        assert layer["Properties"]["CompatibleArchitectures"] == ["arm64"]


@pytest.mark.parametrize("handler", list(EXPECTED_ENV))
def test_function_environment_is_exactly_what_it_needs(synth, handler):
    _, props = function(synth, handler)
    env = props["Environment"]["Variables"]
    assert set(env) == EXPECTED_ENV[handler] | COMMON_ENV
    assert env["POWERTOOLS_METRICS_NAMESPACE"] == "PixelForge"
    assert env["PIXELFORGE_STAGE"] == "aws"
    assert env["PIXELFORGE_KEY_MODE"] == "live"
    assert env["POWERTOOLS_SERVICE_NAME"]


def test_environment_values_reference_the_resources_the_outputs_name(synth):
    expected_type = {t.env_var: "AWS::DynamoDB::Table" for t in TABLES}
    for q in QUEUES:
        expected_type[q.env_var] = expected_type[q.dlq_env_var] = "AWS::SQS::Queue"
    expected_type[BUCKET_ENV_VAR] = "AWS::S3::Bucket"
    expected_type[EVENT_BUS_ENV_VAR] = "AWS::Events::EventBus"
    assert set(expected_type) == set(function_environment_names())
    for handler in EXPECTED_ENV:
        _, props = function(synth, handler)
        for name, value in props["Environment"]["Variables"].items():
            if name in COMMON_ENV:
                continue
            target = ref_id(value)
            assert synth.resources[target]["Type"] == expected_type[name], (handler, name)
            assert target == output_target(synth, name), (handler, name)


def test_function_code_is_the_functions_package_rooted_at_the_repo(synth):
    code_dirs = {p for p in synth.outdir.glob("asset.*") if p.is_dir()}
    [code] = [p for p in code_dirs if (p / "functions").is_dir()]
    assert sorted(p.name for p in code.iterdir()) == ["functions"]
    assert not list(code.rglob("__pycache__"))
    for handler in EXPECTED_ENV:
        module = handler.rsplit(".", 1)[0]
        assert (code / (module.replace(".", "/") + ".py")).is_file(), handler


def test_synthesis_in_tests_does_not_bundle_layers(synth):
    assert synth.bundler_runs == []


# --- S3 ----------------------------------------------------------------------------------------

def test_assets_bucket_is_private_encrypted_tls_only_and_logged(synth):
    bucket_id = output_target(synth, BUCKET_ENV_VAR)
    props = synth.resources[bucket_id]["Properties"]
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "BlockPublicPolicy": True,
        "IgnorePublicAcls": True, "RestrictPublicBuckets": True,
    }
    [rule] = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    log_bucket = ref_id(props["LoggingConfiguration"]["DestinationBucketName"])
    assert log_bucket != bucket_id
    assert synth.resources[log_bucket]["Type"] == "AWS::S3::Bucket"

    [policy] = [p for p in synth.of_type("AWS::S3::BucketPolicy").values()
                if ref_id(p["Properties"]["Bucket"]) == bucket_id]
    assert any(s["Effect"] == "Deny" and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
               for s in policy["Properties"]["PolicyDocument"]["Statement"])


def test_assets_bucket_lifecycle_expires_temporary_prefixes(synth):
    props = synth.resources[output_target(synth, BUCKET_ENV_VAR)]["Properties"]
    rules = props["LifecycleConfiguration"]["Rules"]
    expiring = {r["Prefix"]: r["ExpirationInDays"] for r in rules if "Prefix" in r}
    assert expiring == TEMPORARY_PREFIXES
    assert ASSET_PREFIX not in expiring
    assert any("AbortIncompleteMultipartUpload" in r for r in rules)
    assert all(r["Status"] == "Enabled" for r in rules)


# --- EventBridge -------------------------------------------------------------------------------

def test_webhook_rule_routes_the_pattern_to_the_webhooks_queue(synth):
    [rule] = synth.of_type("AWS::Events::Rule").values()
    props = rule["Properties"]
    assert props["EventPattern"] == WEBHOOK_RULE_PATTERN
    assert ref_id(props["EventBusName"]) == output_target(synth, EVENT_BUS_ENV_VAR)
    [target] = props["Targets"]
    [webhooks] = [q for q in QUEUES if q.name == "webhooks"]
    assert ref_id(target["Arn"]) == output_target(synth, webhooks.env_var)


# --- IAM: least privilege ------------------------------------------------------------------------

def test_least_privilege_checks_can_see_a_grant(synth):
    """The negative checks below mean something only if the same helper finds real grants."""
    ledger = output_target(synth, "LEDGER_TABLE")
    bucket = output_target(synth, BUCKET_ENV_VAR)
    assert allows(synth, API, "dynamodb:PutItem", ledger)
    assert allows(synth, WORKER, "s3:PutObject", bucket)
    assert allows(synth, DISPATCHER, "dynamodb:GetItem", output_target(synth, "ACCOUNTS_TABLE"))


@pytest.mark.parametrize("table_env", ["LEDGER_TABLE", "ACCOUNTS_TABLE", "JOBS_TABLE"])
def test_webhook_dispatcher_cannot_write_money_or_jobs(synth, table_env):
    table = output_target(synth, table_env)
    for action in DYNAMODB_WRITES:
        assert not allows(synth, DISPATCHER, action, table), action


@pytest.mark.parametrize("handler", [API, DISPATCHER, DEAD_LETTER])
def test_only_the_worker_can_put_objects(synth, handler):
    assert not allows(synth, handler, "s3:PutObject", output_target(synth, BUCKET_ENV_VAR), prefix=ASSET_PREFIX)


def test_the_api_may_sign_uploads_only_under_the_uploads_prefix(synth):
    bucket = output_target(synth, BUCKET_ENV_VAR)
    assert allows(synth, API, "s3:PutObject", bucket, prefix=UPLOAD_PREFIX)
    assert not allows(synth, API, "s3:PutObject", bucket, prefix=ASSET_PREFIX)


def test_api_cannot_write_deliveries_and_dead_letter_cannot_touch_the_bucket(synth):
    assert not allows(synth, API, "dynamodb:PutItem", output_target(synth, "DELIVERIES_TABLE"))
    bucket = output_target(synth, BUCKET_ENV_VAR)
    for action in ("s3:GetObject", "s3:DeleteObject", "s3:PutObject"):
        assert not allows(synth, DEAD_LETTER, action, bucket)


def test_object_permissions_are_scoped_to_the_assets_prefix(synth):
    bucket = output_target(synth, BUCKET_ENV_VAR)
    for handler in EXPECTED_ENV:
        for statement in statements(synth, handler):
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            if not any(a.startswith("s3:") for a in actions):
                continue
            assert bucket in referenced_ids(statement["Resource"])
            if actions == ["s3:ListBucket"]:
                assert statement["Condition"] == {"StringLike": {"s3:prefix": [f"{ASSET_PREFIX}*"]}}
            else:
                join = statement["Resource"]["Fn::Join"][1]
                assert join[-1] in (f"/{ASSET_PREFIX}*", f"/{UPLOAD_PREFIX}*"), handler


def test_no_function_has_wildcard_actions_or_managed_policies(synth):
    for handler in EXPECTED_ENV:
        _, props = function(synth, handler)
        assert "ManagedPolicyArns" not in synth.resources[ref_id(props["Role"])]["Properties"]
        for statement in statements(synth, handler):
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            assert not any(a == "*" or a.endswith(":*") for a in actions), (handler, actions)


# --- API Gateway -------------------------------------------------------------------------------

def test_rest_api_proxies_root_and_every_path_to_the_api_function(synth):
    api_function, _ = function(synth, API)
    methods = synth.of_type("AWS::ApiGateway::Method")
    assert len(methods) == 2
    [proxy] = synth.of_type("AWS::ApiGateway::Resource").values()
    assert proxy["Properties"]["PathPart"] == "{proxy+}"
    for method in methods.values():
        props = method["Properties"]
        assert props["HttpMethod"] == "ANY"
        assert props["Integration"]["Type"] == "AWS_PROXY"
        assert api_function in referenced_ids(props["Integration"]["Uri"])


def test_stage_logs_traces_and_throttles_and_is_not_named_after_the_route_version(synth):
    [stage] = synth.of_type("AWS::ApiGateway::Stage").values()
    props = stage["Properties"]
    assert props["StageName"] not in ("v1", "V1")
    assert props["TracingEnabled"] is True
    assert "DestinationArn" in props["AccessLogSetting"]
    [settings] = props["MethodSettings"]
    assert settings["ThrottlingRateLimit"] > 0 and settings["ThrottlingBurstLimit"] > 0
    assert settings["LoggingLevel"] in ("ERROR", "INFO")


# --- Outputs -----------------------------------------------------------------------------------

def test_outputs_cover_every_function_environment_variable_and_the_api_url(synth):
    expected = {output_key(name) for name in function_environment_names()} | {"ApiUrl"}
    assert set(synth.outputs) == expected
    api_url = synth.outputs["ApiUrl"]["Value"]
    assert synth.of_type("AWS::ApiGateway::RestApi").keys() <= referenced_ids(api_url)
