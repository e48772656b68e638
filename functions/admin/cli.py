"""Operator CLI: `pixelforge admin create-account|grant|set-plan|create-key`.

Works against the local stack (`make serve` writes .pixelforge/local.json) or, with AWS credentials,
against a deployed stack whose outputs name every resource (`--stack PixelForge`).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from functions.accounts.plans import PLANS

LOCAL_STATE = Path(".pixelforge") / "local.json"


def environment_from_stack(stack_name: str, region: str | None) -> dict[str, str]:
    import boto3

    from infra.resources import function_environment_names, output_key

    cfn = boto3.client("cloudformation", region_name=region)
    outputs = {o["OutputKey"]: o["OutputValue"]
               for o in cfn.describe_stacks(StackName=stack_name)["Stacks"][0].get("Outputs", [])}
    env = {"PIXELFORGE_STAGE": "aws", "PIXELFORGE_KEY_MODE": "live"}
    missing = []
    for name in function_environment_names():
        if output_key(name) in outputs:
            env[name] = outputs[output_key(name)]
        else:
            missing.append(output_key(name))
    if missing:
        raise SystemExit(f"stack {stack_name} has no outputs {missing}; is it a PixelForge stack?")
    return env


def environment_from_local(state: Path) -> dict[str, str]:
    if not state.exists():
        raise SystemExit(f"{state} not found: start the local stack with `make serve`, or pass --stack.")
    return json.loads(state.read_text())["environment"]


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="pixelforge", description="PixelForge operator tools")
    groups = top.add_subparsers(dest="group", required=True)
    admin = groups.add_parser("admin", help="accounts, credits, plans and keys")
    target = admin.add_mutually_exclusive_group()
    target.add_argument("--stack", help="deployed CloudFormation stack name (uses your AWS credentials)")
    target.add_argument("--local", action="store_true", help="the local stack (default)")
    admin.add_argument("--region", help="AWS region of the stack")
    admin.add_argument("--state", type=Path, default=LOCAL_STATE, help=argparse.SUPPRESS)
    commands = admin.add_subparsers(dest="command", required=True)

    create = commands.add_parser("create-account", help="create an account (and a first key)")
    create.add_argument("--plan", choices=sorted(PLANS), default="free")
    create.add_argument("--credits", type=int, default=0, help="purchased credits to start with")
    create.add_argument("--name")
    create.add_argument("--no-key", action="store_true", help="do not create a first API key")

    grant = commands.add_parser("grant", help="add purchased credits")
    grant.add_argument("account_id")
    grant.add_argument("--credits", type=int, required=True)
    grant.add_argument("--note")

    set_plan = commands.add_parser("set-plan", help="move an account to another plan")
    set_plan.add_argument("account_id")
    set_plan.add_argument("--plan", choices=sorted(PLANS), required=True)

    key = commands.add_parser("create-key", help="issue an API key (shown once)")
    key.add_argument("account_id")
    key.add_argument("--mode", choices=["live", "test"])
    key.add_argument("--name")
    return top


def run(args: argparse.Namespace) -> dict:
    env = environment_from_stack(args.stack, args.region) if args.stack else environment_from_local(args.state)
    os.environ.update(env)
    from functions.accounts import service
    from functions.common import aws, config
    from functions.common.backends import Backends

    config.settings.cache_clear()
    aws.reset_clients()
    b = Backends.from_environment()
    mode = getattr(args, "mode", None) or b.settings.key_mode
    if args.command == "create-account":
        account = service.create_account(b, plan=args.plan, credits=args.credits, name=args.name)
        out = {"account_id": account["account_id"], "plan": account["plan"], "credits": args.credits}
        if not args.no_key:
            secret, record = service.create_key(b, account["account_id"], mode=mode, name="default")
            out["api_key"], out["key_id"] = secret, record["id"]
        return out
    if args.command == "grant":
        account = service.grant(b, args.account_id, args.credits, note=args.note)
        return {"account_id": account["account_id"], "purchased_balance": account["purchased_balance"]}
    if args.command == "set-plan":
        account = service.set_plan(b, args.account_id, args.plan)
        return {"account_id": account["account_id"], "plan": account["plan"],
                "monthly_remaining": account["monthly_remaining"]}
    secret, record = service.create_key(b, args.account_id, mode=mode, name=args.name)
    return dict(record, api_key=secret)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from functions.common.errors import ApiError

    try:
        result = run(args)
    except ApiError as error:
        print(json.dumps({"code": error.code, "message": error.message, "details": error.details}), file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2))
    if "api_key" in result:
        print("Store the API key now: it is not shown again.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
