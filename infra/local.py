"""The whole product on one machine: `make serve`.

moto's server stands in for AWS on loopback; the resources come from infra/resources.py, the same
definitions the CDK stack builds from; a small HTTP gateway turns requests into API Gateway proxy
events for the real API handler; pollers feed SQS messages to the real worker, dead-letter and
webhook handlers the way Lambda's event source mappings would.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from infra.resources import (
    BUCKET_ENV_VAR,
    EVENT_BUS_ENV_VAR,
    QUEUES,
    TABLES,
    TEMPORARY_PREFIXES,
    WEBHOOK_RULE_PATTERN,
)

REGION = "us-east-1"
PREFIX = "pixelforge"
STATE_DIR = Path(".pixelforge")
DEV_CREDITS = 10_000
DEV_PLAN = "studio"


def local_environment(endpoint: str | None) -> dict[str, str]:
    """Every variable the functions read but the queue URLs (create_resources adds those), pointing at
    local resources named from the shared definitions. No endpoint: moto's in-process mock (tests)."""
    env = {
        "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
        "PIXELFORGE_STAGE": "local", "PIXELFORGE_KEY_MODE": "test",
        "POWERTOOLS_SERVICE_NAME": "pixelforge", "POWERTOOLS_METRICS_NAMESPACE": "PixelForge",
        # No X-Ray daemon or CloudWatch here: keep the terminal readable.
        "POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": os.environ.get("POWERTOOLS_LOG_LEVEL", "WARNING"),
        BUCKET_ENV_VAR: f"{PREFIX}-assets-local", EVENT_BUS_ENV_VAR: PREFIX,
    }
    for table in TABLES:
        env[table.env_var] = f"{PREFIX}-{table.name}"
    if endpoint:
        env["AWS_ENDPOINT_URL"] = endpoint
    return env


def create_resources(clients: dict[str, Any], env: dict[str, str]) -> dict[str, str]:
    """Create every resource; returns the environment with the queue URLs the emulator actually gave."""
    env = dict(env)
    ddb, sqs, s3, events = clients["dynamodb"], clients["sqs"], clients["s3"], clients["events"]
    for table in TABLES:
        attributes = {table.partition_key, *(k for k in [table.sort_key] if k)}
        key_schema = [{"AttributeName": table.partition_key, "KeyType": "HASH"}]
        if table.sort_key:
            key_schema.append({"AttributeName": table.sort_key, "KeyType": "RANGE"})
        indexes = []
        for index in table.indexes:
            attributes |= {index.partition_key, *(k for k in [index.sort_key] if k)}
            schema = [{"AttributeName": index.partition_key, "KeyType": "HASH"}]
            if index.sort_key:
                schema.append({"AttributeName": index.sort_key, "KeyType": "RANGE"})
            indexes.append({"IndexName": index.name, "KeySchema": schema, "Projection": {"ProjectionType": "ALL"}})
        kwargs: dict[str, Any] = {
            "TableName": env[table.env_var], "KeySchema": key_schema, "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": a, "AttributeType": "S"} for a in sorted(attributes)],
        }
        if indexes:
            kwargs["GlobalSecondaryIndexes"] = indexes
        ddb.create_table(**kwargs)
        if table.ttl_attribute:
            ddb.update_time_to_live(TableName=env[table.env_var], TimeToLiveSpecification={
                "Enabled": True, "AttributeName": table.ttl_attribute})
    for queue in QUEUES:
        dlq_url = env[queue.dlq_env_var] = sqs.create_queue(QueueName=f"{PREFIX}-{queue.name}-dlq")["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        env[queue.env_var] = sqs.create_queue(QueueName=f"{PREFIX}-{queue.name}", Attributes={
            "VisibilityTimeout": str(queue.local_visibility_seconds),
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn,
                                         "maxReceiveCount": str(queue.max_receive_count)}),
        })["QueueUrl"]
    s3.create_bucket(Bucket=env[BUCKET_ENV_VAR])
    s3.put_bucket_lifecycle_configuration(Bucket=env[BUCKET_ENV_VAR], LifecycleConfiguration={"Rules": [
        {"ID": f"expire-{prefix.strip('/')}", "Status": "Enabled", "Filter": {"Prefix": prefix},
         "Expiration": {"Days": days}} for prefix, days in TEMPORARY_PREFIXES.items()]})
    events.create_event_bus(Name=env[EVENT_BUS_ENV_VAR])
    events.put_rule(Name=f"{PREFIX}-webhooks", EventBusName=env[EVENT_BUS_ENV_VAR],
                    EventPattern=json.dumps(WEBHOOK_RULE_PATTERN))
    webhooks_queue = env[next(q for q in QUEUES if q.name == "webhooks").env_var]
    arn = sqs.get_queue_attributes(QueueUrl=webhooks_queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_targets(Rule=f"{PREFIX}-webhooks", EventBusName=env[EVENT_BUS_ENV_VAR],
                       Targets=[{"Id": "webhooks-queue", "Arn": arn}])
    return env


@dataclass
class LambdaContext:
    """Enough of Lambda's context object for Powertools."""
    function_name: str
    timeout_seconds: int = 30
    memory_limit_in_mb: int = 1024
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{REGION}:000000000000:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.timeout_seconds - (time.monotonic() - self.started)) * 1000))


def api_event(method: str, raw_path: str, headers: dict[str, str], body: bytes, source_ip: str) -> dict[str, Any]:
    url = urlsplit(raw_path)
    query = parse_qs(url.query, keep_blank_values=True)
    request_id = str(uuid.uuid4())
    text = body.decode("utf-8", errors="replace") if body else None
    return {
        "resource": "/{proxy+}", "path": url.path, "httpMethod": method,
        "headers": headers, "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": {k: v[-1] for k, v in query.items()} or None,
        "multiValueQueryStringParameters": query or None,
        "pathParameters": {"proxy": url.path.lstrip("/")}, "stageVariables": None,
        "requestContext": {"requestId": request_id, "stage": "local", "path": url.path, "httpMethod": method,
                           "resourcePath": "/{proxy+}", "identity": {"sourceIp": source_ip},
                           "requestTimeEpoch": int(time.time() * 1000)},
        "body": text, "isBase64Encoded": False,
    }


def _api_process_start(env: dict[str, str]) -> None:
    os.environ.update(env)
    from functions.api.handler import handler  # noqa: F401 - warm: the import is the cold start


def _invoke_api(event: dict[str, Any]) -> dict[str, Any]:
    from functions.api.handler import handler

    return handler(event, LambdaContext("pixelforge-api", timeout_seconds=29))


def _warm(_: int) -> int:
    time.sleep(0.2)  # hold this process so the next warm-up call reaches another one
    return os.getpid()


class ApiProcesses:
    """The API function's warm containers: separate processes, each serving one request at a time,
    as Lambda does. (The Powertools resolver keeps the current request in shared state, so threads
    cannot share it; processes also keep the API off the emulator's and the workers' GIL.)"""

    def __init__(self, env: dict[str, str], size: int):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(max_workers=size, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_api_process_start, initargs=(env,))
        list(self.pool.map(_warm, range(size)))

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        return self.pool.submit(_invoke_api, event).result()

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


class SerialDynamoDB:
    """moto applies a DynamoDB transaction by snapshotting the tables and restoring them if it is
    cancelled, which can wipe another thread's write made meanwhile. DynamoDB itself isolates
    transactions; here the emulator's DynamoDB calls run one at a time to keep that promise."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        if environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB"):
            with self.lock:
                return list(self.app(environ, start_response))
        return self.app(environ, start_response)


def serve_emulator(port: int) -> None:
    """Run moto's server (DynamoDB calls serialised) in this process until it is terminated."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app = SerialDynamoDB(DomainDispatcherApplication(create_backend_app))
    make_server("127.0.0.1", port, app, True, request_handler=MotoRequestHandler).serve_forever()


class Emulator:
    """The AWS emulator in a process of its own, so its request handling never waits on the GIL of the
    workers and the gateway."""

    def __init__(self, port: int):
        import subprocess

        self.port = port
        if self._listening():
            raise RuntimeError(f"127.0.0.1:{port} is already in use: set PIXELFORGE_AWS_PORT to a free port")
        self.process = subprocess.Popen([sys.executable, "-c", f"from infra.local import serve_emulator; "
                                         f"serve_emulator({port})"], cwd=str(Path(__file__).resolve().parents[1]))
        deadline = time.monotonic() + 30
        while not self._listening():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the AWS emulator did not start on 127.0.0.1:{port} (port in use?)")
            time.sleep(0.05)

    def _listening(self) -> bool:
        import socket

        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) == 0

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except Exception:  # noqa: BLE001 - it would not stop politely
            self.process.kill()


def make_gateway(port: int, api_handler) -> ThreadingHTTPServer:
    class Gateway(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # API Gateway's own payload cap; bigger bodies never reach the function.
        MAX_BODY = 10 * 1024 * 1024

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > self.MAX_BODY:
                self._send(413, {"Content-Type": "application/json"}, json.dumps(
                    {"code": "payload_too_large", "message": "Request bodies are limited to 10 MB.",
                     "details": {"max_bytes": self.MAX_BODY}, "request_id": None}).encode())
                self.close_connection = True
                return
            body = self.rfile.read(length) if length else b""
            headers = {k: v for k, v in self.headers.items()}
            event = api_event(self.command, self.path, headers, body, self.client_address[0])
            try:
                result = api_handler(event, LambdaContext("pixelforge-api", timeout_seconds=29))
            except Exception:  # noqa: BLE001 - API Gateway answers 502 when the function crashes
                logging.getLogger("pixelforge.local").exception("api handler crashed")
                result = {"statusCode": 502, "headers": {"Content-Type": "application/json"}, "body": json.dumps(
                    {"code": "internal_error", "message": "The API function failed.", "details": {},
                     "request_id": event["requestContext"]["requestId"]})}
            out_headers = dict(result.get("headers") or {})
            for name, values in (result.get("multiValueHeaders") or {}).items():
                out_headers[name] = ", ".join(values) if name.lower() != "set-cookie" else values[-1]
            payload = result.get("body") or ""
            data = payload.encode() if not result.get("isBase64Encoded") else __import__("base64").b64decode(payload)
            self._send(int(result["statusCode"]), out_headers, data)

        def _send(self, status: int, headers: dict[str, str], data: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                if name.lower() not in ("content-length", "connection"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

        def log_message(self, fmt: str, *args: Any) -> None:
            if os.environ.get("PIXELFORGE_ACCESS_LOG"):
                sys.stderr.write(f"{self.address_string()} {fmt % args}\n")

    server = ThreadingHTTPServer(("127.0.0.1", port), Gateway)
    server.daemon_threads = True
    return server


class QueuePoller(threading.Thread):
    """Lambda's SQS event source mapping, in a thread: receive, invoke, delete what succeeded."""

    def __init__(self, sqs, queue_url: str, handler, name: str, *, batch_size: int = 1, timeout: int = 120):
        super().__init__(name=name, daemon=True)
        self.sqs, self.queue_url, self.handler = sqs, queue_url, handler
        self.batch_size, self.timeout = batch_size, timeout
        self.stopping = threading.Event()
        self.arn: str | None = None

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self.poll_once(wait_seconds=1)
            except Exception:  # noqa: BLE001 - the emulator is going away at shutdown
                if self.stopping.is_set():
                    return
                logging.getLogger("pixelforge.local").exception("%s poll failed", self.name)
                time.sleep(0.5)

    def poll_once(self, *, wait_seconds: int = 0) -> int:
        """One receive → invoke → delete round; returns how many messages it handled."""
        if self.arn is None:
            attributes = self.sqs.get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=["QueueArn"])
            self.arn = attributes["Attributes"]["QueueArn"]
        messages = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=self.batch_size,
                                            WaitTimeSeconds=wait_seconds, AttributeNames=["All"]).get("Messages", [])
        if messages:
            self._invoke(messages)
        return len(messages)

    def _invoke(self, messages: list[dict[str, Any]]) -> None:
        event = {"Records": [{
            "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
            "attributes": m.get("Attributes", {}), "messageAttributes": {}, "md5OfBody": m.get("MD5OfBody", ""),
            "eventSource": "aws:sqs", "eventSourceARN": self.arn, "awsRegion": REGION} for m in messages]}
        try:
            result = self.handler(event, LambdaContext(self.name, timeout_seconds=self.timeout)) or {}
            failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
        except Exception:  # noqa: BLE001 - a crashed invocation: every message comes back
            logging.getLogger("pixelforge.local").exception("%s invocation failed", self.name)
            failed = {m["MessageId"] for m in messages}
        for m in messages:
            if m["MessageId"] not in failed:
                self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=m["ReceiptHandle"])


class LocalStack:
    def __init__(self, *, port: int, aws_port: int, state_dir: Path = STATE_DIR, workers: int = 2,
                 api_processes: int = 4):
        self.port, self.aws_port, self.state_dir, self.workers = port, aws_port, state_dir, workers
        self.api_processes = api_processes
        self.api: ApiProcesses | None = None
        self.endpoint = f"http://127.0.0.1:{aws_port}"
        self.env = local_environment(self.endpoint)
        self.threads: list[QueuePoller] = []
        self.moto = None
        self.gateway: ThreadingHTTPServer | None = None
        self.dev_key: str | None = None
        self.dev_account_id: str | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LocalStack:
        self.moto = Emulator(self.aws_port)
        os.environ.update(self.env)

        # Imported only now: Powertools and the settings read the environment set just above.
        from functions.common import aws, config

        config.settings.cache_clear()
        aws.reset_clients()
        clients = {name: aws.client(name) for name in ("dynamodb", "sqs", "s3", "events")}
        self.env = create_resources(clients, self.env)
        os.environ.update(self.env)
        config.settings.cache_clear()
        self._create_dev_account()

        from functions.webhooks.handler import handler as webhook_handler
        from functions.worker.dead_letter import handler as dead_letter_handler
        from functions.worker.handler import handler as worker_handler

        sqs = aws.client("sqs")
        for i in range(self.workers):
            self.threads.append(QueuePoller(sqs, self.env["JOBS_QUEUE_URL"], worker_handler, f"pixelforge-worker-{i}"))
        self.threads.append(QueuePoller(sqs, self.env["JOBS_DLQ_URL"], dead_letter_handler,
                                        "pixelforge-jobs-dead-letter"))
        self.threads.append(QueuePoller(sqs, self.env["WEBHOOKS_QUEUE_URL"], webhook_handler,
                                        "pixelforge-webhook-dispatcher", batch_size=5, timeout=60))
        for thread in self.threads:
            thread.start()
        self.api = ApiProcesses(self.env, self.api_processes)
        self.gateway = make_gateway(self.port, self.api)
        threading.Thread(target=self.gateway.serve_forever, name="pixelforge-gateway", daemon=True).start()
        return self

    def _create_dev_account(self) -> None:
        from functions.accounts.service import create_account_with_key
        from functions.common.backends import Backends

        account, key = create_account_with_key(Backends.from_environment(), plan=DEV_PLAN, credits=DEV_CREDITS,
                                               name="dev", mode="test")
        self.dev_account_id, self.dev_key = account["account_id"], key
        self.state_dir.mkdir(exist_ok=True)
        key_file = self.state_dir / "dev-api-key"
        key_file.write_text(key + "\n")
        key_file.chmod(0o600)
        (self.state_dir / "local.json").write_text(json.dumps(
            {"api_url": self.url, "environment": self.env, "dev_account_id": self.dev_account_id}, indent=2))

    def stop(self) -> None:
        for thread in self.threads:
            thread.stopping.set()
        if self.gateway:
            self.gateway.shutdown()
        if self.api:
            self.api.close()
        for thread in self.threads:
            thread.join(timeout=3)
        if self.moto:
            self.moto.stop()


def main() -> None:
    port = int(os.environ.get("PORT", "8080"))
    aws_port = int(os.environ.get("PIXELFORGE_AWS_PORT", "4566"))
    stack = LocalStack(port=port, aws_port=aws_port,
                       workers=int(os.environ.get("PIXELFORGE_WORKERS", "2")),
                       api_processes=int(os.environ.get("PIXELFORGE_API_PROCESSES", "4"))).start()
    print(f"PixelForge is running on {stack.url}  (AWS emulator on {stack.endpoint})")
    print(f"API key: {stack.dev_key}")
    print(f"  (also in {STATE_DIR / 'dev-api-key'}; account {stack.dev_account_id}, {DEV_PLAN} plan, "
          f"{DEV_CREDITS} credits)")
    print(f"Try:  curl {stack.url}/v1/me -H \"Authorization: Bearer $(cat {STATE_DIR / 'dev-api-key'})\"")
    print("Docs: " + stack.url + "/v1/docs    Stop with Ctrl-C.", flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        stopped.wait()
    except KeyboardInterrupt:
        pass
    stack.stop()


if __name__ == "__main__":
    main()
