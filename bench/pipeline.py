"""Pipeline benchmark against the local stack (`python -m infra.local` in a subprocess), over real HTTP.

(a) submit→completed latency and pipeline overhead (total minus render) for 256 px full map sets:
    sequential, then with several concurrent clients;
(b) render time per texture size, as the job reports it (timings.render_ms);
(c) a burst of small jobs from several threads and accounts, honouring 429s, then PASS/FAIL checks:
    no job lost, none charged twice, every ledger sums to its balance.

Prints figures (no asserts) and writes them to bench/out/pipeline.json.
`python bench/pipeline.py --quick` runs a reduced version in under a minute.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import requests

REPO_ROOT = Path(__file__).resolve().parents[1]
OUT = REPO_ROOT / "bench" / "out" / "pipeline.json"
TERMINAL = ("completed", "failed", "cancelled")
TARGET_LATENCY_P50_MS = 300   # submit→completed, 256 px
TARGET_OVERHEAD_P50_MS = 60   # total minus render
PROMPTS = ("mossy red brick wall", "weathered oak planks", "rusty metal plate", "cracked desert mud",
           "polished marble tiles", "wet cobblestone street", "green slime", "snowy gravel path")


# --- the stack ----------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    """`python -m infra.local` in a subprocess; accounts are made in-process against its AWS emulator."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port, self.aws_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[str] | None = None
        self.dev_key: str | None = None
        self.lines: list[str] = []

    def start(self, timeout: float = 60) -> Stack:
        env = dict(os.environ, PORT=str(self.port), PIXELFORGE_AWS_PORT=str(self.aws_port),
                   PYTHONPATH=str(REPO_ROOT), PYTHONUNBUFFERED="1")
        env.pop("AWS_ENDPOINT_URL", None)
        self.process = subprocess.Popen([sys.executable, "-m", "infra.local"], cwd=self.workdir, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        ready = threading.Event()

        def drain() -> None:
            assert self.process and self.process.stdout
            for line in self.process.stdout:
                self.lines.append(line)
                if line.startswith("API key:"):
                    self.dev_key = line.split(":", 1)[1].strip()
                    ready.set()
            ready.set()

        threading.Thread(target=drain, daemon=True).start()
        if not ready.wait(timeout) or not self.dev_key:
            self.stop()
            raise SystemExit("the local stack did not start:\n" + "".join(self.lines[-30:]))
        # The operator's way in: the environment the stack wrote, for functions.accounts.service.
        state = json.loads((self.workdir / ".pixelforge" / "local.json").read_text())
        os.environ.update(state["environment"])
        sys.path.insert(0, str(REPO_ROOT))
        return self

    def create_account(self, *, plan: str = "studio", credits: int = 10_000, name: str = "bench") -> str:
        from functions.accounts.service import create_account_with_key
        from functions.common.backends import Backends

        _, key = create_account_with_key(Backends.from_environment(), plan=plan, credits=credits, name=name,
                                         mode="test")
        return key

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- a client that honours 429s -------------------------------------------------------------------------

class Client:
    def __init__(self, base_url: str, key: str):
        self.base_url = base_url
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {key}"
        self.refusals: Counter[str] = Counter()   # 429s by code
        self.lock = threading.Lock()

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """One request; on 429 (rate_limited or concurrency_limited) wait Retry-After and send it again."""
        while True:
            response = self.session.request(method, self.base_url + path, timeout=60, **kwargs)
            if response.status_code != 429:
                return response
            with self.lock:
                self.refusals[response.json().get("code", "429")] += 1
            time.sleep(float(response.headers.get("Retry-After", "1")))

    def submit(self, body: dict[str, Any]) -> dict[str, Any]:
        response = self.call("POST", "/v1/textures", json=body)
        if response.status_code not in (200, 202):
            raise RuntimeError(f"submit refused: {response.status_code} {response.text}")
        return response.json()

    def wait(self, job_id: str, *, interval: float, timeout: float = 120) -> tuple[dict[str, Any], float]:
        """(terminal job, monotonic time it was first seen terminal)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.call("GET", f"/v1/jobs/{job_id}").json()
            if job["status"] in TERMINAL:
                return job, time.monotonic()
            time.sleep(interval)
        raise RuntimeError(f"job {job_id} did not finish in {timeout} s")

    def pages(self, path: str, field: str, **params: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        cursor = None
        while True:
            query = dict(params, **({"cursor": cursor} if cursor else {}))
            page = self.call("GET", path, params=query).json()
            items += page[field]
            cursor = page.get("next_cursor")
            if not cursor:
                return items

    def balance(self) -> int:
        return int(self.call("GET", "/v1/balance").json()["total"])


# --- figures ------------------------------------------------------------------------------------------

def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def summary(values: list[float]) -> dict[str, Any]:
    return {"n": len(values), "p50": pct(values, 50), "p95": pct(values, 95),
            "mean": round(statistics.fmean(values), 1) if values else None,
            "max": max(values) if values else None}


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def job_figures(job: dict[str, Any]) -> dict[str, float]:
    total = (parse_iso(job["finished_at"]) - parse_iso(job["created_at"])).total_seconds() * 1000
    render = float(job["timings"]["render_ms"] or 0)
    return {"total_ms": total, "render_ms": render, "overhead_ms": total - render,
            "queued_ms": float(job["timings"]["queued_ms"] or 0)}


def fmt(stats: dict[str, Any]) -> str:
    def f(v: Any) -> str:
        return "-" if v is None else f"{v:.0f}"
    return f"p50 {f(stats['p50']):>6} ms  p95 {f(stats['p95']):>6} ms  (n={stats['n']})"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


# --- (a) latency and overhead -------------------------------------------------------------------------

def run_latency(clients: list[Client], jobs_per_client: int, *, size: int, interval: float) -> dict[str, Any]:
    """Each client submits and waits for its jobs one after another; clients run in parallel."""
    records: list[dict[str, float]] = []
    errors: list[str] = []
    lock = threading.Lock()

    def one_client(index: int, client: Client) -> None:
        for i in range(jobs_per_client):
            body = {"prompt": PROMPTS[(index + i) % len(PROMPTS)], "size": size, "seed": index * 10_000 + i}
            started = time.monotonic()
            try:
                job = client.submit(body)
                job, seen = client.wait(job["id"], interval=interval)
                if job["status"] != "completed":
                    raise RuntimeError(f"job {job['id']} {job['status']}: {job.get('error')}")
            except Exception as error:  # noqa: BLE001 - counted and reported, the run goes on
                with lock:
                    errors.append(str(error)[:200])
                continue
            with lock:
                records.append(dict(job_figures(job), observed_ms=(seen - started) * 1000))

    started = time.monotonic()
    with ThreadPoolExecutor(len(clients)) as pool:
        for future in [pool.submit(one_client, i, c) for i, c in enumerate(clients)]:
            future.result()
    elapsed = time.monotonic() - started
    return {
        "clients": len(clients), "jobs": len(records), "size": size, "poll_interval_s": interval,
        "wall_s": round(elapsed, 2), "jobs_per_s": round(len(records) / elapsed, 2),
        "total_ms": summary([r["total_ms"] for r in records]),
        "observed_ms": summary([r["observed_ms"] for r in records]),
        "render_ms": summary([r["render_ms"] for r in records]),
        "overhead_ms": summary([r["overhead_ms"] for r in records]),
        "queued_ms": summary([r["queued_ms"] for r in records]),
        "refusals_429": dict(sum((c.refusals for c in clients), Counter())),
        "errors": errors[:10], "error_count": len(errors),
    }


def print_latency(name: str, result: dict[str, Any]) -> None:
    total, overhead = result["total_ms"], result["overhead_ms"]
    print(f"  {name}: {result['jobs']} jobs of {result['size']} px, {result['clients']} client(s), "
          f"{result['wall_s']} s, {result['jobs_per_s']} jobs/s, 429s {result['refusals_429'] or 0}")
    print(f"    submit→completed (created_at→finished_at)  {fmt(total)}   target p50 ≤ {TARGET_LATENCY_P50_MS} ms"
          f"  {verdict(total['p50'] is not None and total['p50'] <= TARGET_LATENCY_P50_MS)}")
    print(f"    seen by the client (polling {result['poll_interval_s'] * 1000:.0f} ms) {fmt(result['observed_ms'])}")
    print(f"    render (timings.render_ms)                  {fmt(result['render_ms'])}")
    print(f"    overhead (total − render)                   {fmt(overhead)}   target p50 ≤ {TARGET_OVERHEAD_P50_MS} ms"
          f"  {verdict(overhead['p50'] is not None and overhead['p50'] <= TARGET_OVERHEAD_P50_MS)}")
    print(f"    of which queued (created_at→started_at)     {fmt(result['queued_ms'])}")
    print(f"    {verdict(not result['error_count'])}  no errors ({result['error_count']}: {result['errors'][:3]})")


# --- (b) render time per size ---------------------------------------------------------------------------

def run_sizes(client: Client, sizes: list[tuple[int, int]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for size, repeats in sizes:
        renders, totals = [], []
        for i in range(repeats):
            job = client.submit({"prompt": PROMPTS[i % len(PROMPTS)], "size": size, "seed": 500 + i})
            job, _ = client.wait(job["id"], interval=0.1 if size <= 512 else 0.5, timeout=300)
            figures = job_figures(job)
            renders.append(figures["render_ms"])
            totals.append(figures["total_ms"])
        out[str(size)] = {"render_ms": summary(renders), "total_ms": summary(totals)}
        print(f"  {size:>5} px  render {fmt(out[str(size)]['render_ms'])}   total p50 {pct(totals, 50):.0f} ms")
    return out


# --- (c) burst and integrity ------------------------------------------------------------------------------

def run_burst(stack: Stack, *, jobs: int, accounts: int, threads_per_account: int,
              drain_timeout: float) -> dict[str, Any]:
    clients = [Client(stack.url, stack.create_account(credits=jobs * 2 + 100, name=f"burst-{i}"))
               for i in range(accounts)]
    accepted: list[list[str]] = [[] for _ in clients]
    submit_ms: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(jobs))

    def worker(account: int) -> None:
        client = clients[account]
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            started = time.monotonic()
            try:
                job = client.submit({"prompt": PROMPTS[n % len(PROMPTS)], "size": 32, "seed": n})
            except Exception as error:  # noqa: BLE001 - counted and reported
                with lock:
                    errors.append(str(error)[:200])
                continue
            with lock:
                accepted[account].append(job["id"])
                submit_ms.append((time.monotonic() - started) * 1000)

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(a,)) for a in range(accounts) for _ in range(threads_per_account)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    submitted_s = time.monotonic() - started

    # Wait for every accepted job to finish (listing, not one GET per job).
    deadline = time.monotonic() + drain_timeout
    while True:
        try:
            listings = [{j["id"]: j for j in c.pages("/v1/jobs", "jobs", limit=100)} for c in clients]
        except (KeyError, ValueError) as error:  # an error answer instead of a page
            errors.append(f"GET /v1/jobs failed: {error!r}")
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
            continue
        active = sum(1 for listing in listings for j in listing.values() if j["status"] not in TERMINAL)
        if active == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    drained_s = time.monotonic() - started

    total_accepted = sum(len(a) for a in accepted)
    lost, not_completed, phantom, double_charged, wrong_refund, ledger_mismatch = [], [], [], [], [], []
    figures: list[dict[str, float]] = []
    for client, ids, listing in zip(clients, accepted, listings, strict=True):
        lost += [i for i in ids if i not in listing]
        not_completed += [i for i in ids if i in listing and listing[i]["status"] != "completed"]
        phantom += [i for i in listing if i not in set(ids)]
        figures += [job_figures(listing[i]) for i in ids if i in listing and listing[i]["status"] == "completed"]
        entries = client.pages("/v1/ledger", "entries", limit=200)
        debits = Counter(e["job_id"] for e in entries if e["kind"] == "debit")
        refunds = Counter(e["job_id"] for e in entries if e["kind"] == "refund")
        double_charged += [i for i in ids if debits[i] != 1]
        double_charged += [j for j in debits if j not in set(ids)]
        wrong_refund += [i for i in ids if refunds[i] and listing.get(i, {}).get("status") == "completed"]
        costs = {i: listing[i]["cost"] for i in ids if i in listing}
        debited = {e["job_id"]: -e["amount"] for e in entries if e["kind"] == "debit"}
        double_charged += [i for i in ids if i in costs and debited.get(i) != costs[i]]
        ledger_sum, balance = sum(e["amount"] for e in entries), client.balance()
        if ledger_sum != balance:
            ledger_mismatch.append({"ledger_sum": ledger_sum, "balance": balance})

    refusals = dict(sum((c.refusals for c in clients), Counter()))
    checks = {
        "no_job_lost": not lost and not not_completed,
        "no_phantom_job": not phantom,
        "charged_exactly_once": not double_charged and not wrong_refund,
        "ledger_sums_to_balance": not ledger_mismatch,
        "no_submit_errors": not errors,
    }
    return {
        "jobs": jobs, "accounts": accounts, "threads": len(threads), "accepted": total_accepted,
        "submit_errors": errors[:10], "refusals_429": refusals, "submitted_s": round(submitted_s, 2),
        "drained_s": round(drained_s, 2), "jobs_per_s": round(total_accepted / drained_s, 2),
        "submit_ms": summary(submit_ms), "total_ms": summary([f["total_ms"] for f in figures]),
        "overhead_ms": summary([f["overhead_ms"] for f in figures]),
        "lost": lost[:10], "not_completed": not_completed[:10], "phantom": phantom[:10],
        "double_charged": double_charged[:10], "wrong_refund": wrong_refund[:10], "ledger_mismatch": ledger_mismatch,
        "checks": checks,
    }


def print_burst(result: dict[str, Any]) -> None:
    print(f"  {result['accepted']}/{result['jobs']} accepted from {result['threads']} threads on "
          f"{result['accounts']} accounts; submitted in {result['submitted_s']} s, all finished after "
          f"{result['drained_s']} s ({result['jobs_per_s']} jobs/s)")
    print(f"    429s honoured (Retry-After): {result['refusals_429'] or 0}")
    print(f"    POST /v1/textures (accepted)  {fmt(result['submit_ms'])}")
    print(f"    submit→completed              {fmt(result['total_ms'])}")
    print(f"    overhead (total − render)     {fmt(result['overhead_ms'])}")
    for name, ok in result["checks"].items():
        print(f"    {verdict(ok)}  {name.replace('_', ' ')}")
    for name in ("lost", "not_completed", "phantom", "double_charged", "wrong_refund", "ledger_mismatch",
                 "submit_errors"):
        if result[name]:
            print(f"      {name}: {result[name]}")


# --- main ---------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a reduced run, under a minute")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    quick = args.quick
    plan = {
        "sequential_jobs": 20 if quick else 100,
        "concurrent_clients": 4, "concurrent_jobs_per_client": 5 if quick else 25,
        "sizes": [(64, 2), (128, 2), (256, 2), (512, 1), (1024, 1)] if quick else
                 [(64, 5), (128, 5), (256, 5), (512, 3), (1024, 2), (2048, 1)],
        "burst_jobs": 60 if quick else 500, "burst_drain_timeout_s": 20 if quick else 180,
        "burst_accounts": 2 if quick else 4, "burst_threads_per_account": 3,
        "poll_interval_s": 0.05,
    }
    results: dict[str, Any] = {"quick": quick, "plan": plan, "started_at": datetime.now().isoformat(),
                               "cpus": os.cpu_count()}
    run_started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="pixelforge-bench-") as workdir:
        stack = Stack(Path(workdir))
        t0 = time.monotonic()
        stack.start()
        results["stack_start_s"] = round(time.monotonic() - t0, 2)
        print(f"PixelForge pipeline benchmark{' (quick)' if quick else ''}: local stack on {stack.url}, "
              f"up in {results['stack_start_s']} s, {os.cpu_count()} CPUs")
        try:
            new_client: Callable[[], Client] = lambda: Client(stack.url, stack.create_account())  # noqa: E731
            # Warm-up: the first job loads numpy and the renderer in the worker.
            warm = new_client()
            warm.wait(warm.submit({"prompt": "warm up", "size": 64, "seed": 1})["id"], interval=0.1)

            print("\n(a) submit→completed, 256 px, all six maps")
            # One account per client: the studio plan's 10 requests/s would otherwise throttle the polling.
            results["sequential"] = run_latency([new_client()], plan["sequential_jobs"], size=256,
                                                interval=plan["poll_interval_s"])
            print_latency("sequential", results["sequential"])
            results["concurrent"] = run_latency([new_client() for _ in range(plan["concurrent_clients"])],
                                                plan["concurrent_jobs_per_client"], size=256,
                                                interval=plan["poll_interval_s"])
            print_latency("concurrent", results["concurrent"])

            print("\n(b) render time per size (timings.render_ms, all six maps)")
            results["render_by_size"] = run_sizes(new_client(), plan["sizes"])

            print(f"\n(c) burst of {plan['burst_jobs']} jobs of 32 px")
            results["burst"] = run_burst(stack, jobs=plan["burst_jobs"], accounts=plan["burst_accounts"],
                                         threads_per_account=plan["burst_threads_per_account"],
                                         drain_timeout=plan["burst_drain_timeout_s"])
            print_burst(results["burst"])
        finally:
            stack.stop()
    results["wall_s"] = round(time.monotonic() - run_started, 1)
    seq = results.get("sequential", {})
    results["targets"] = {
        "submit_to_completed_p50_ms": {"target": TARGET_LATENCY_P50_MS, "measured": seq.get("total_ms", {}).get("p50")},
        "overhead_p50_ms": {"target": TARGET_OVERHEAD_P50_MS, "measured": seq.get("overhead_ms", {}).get("p50")},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, default=str))
    print(f"\nwritten {args.out}  ({results['wall_s']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
