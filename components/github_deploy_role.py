"""The role GitHub Actions assumes to deploy frontdoor, through GitHub's OIDC provider: no stored keys.

Owns the account's GitHub OIDC provider (`aws.iam.OpenIdConnectProvider`, url
`https://token.actions.githubusercontent.com`, client id `sts.amazonaws.com`; IAM allows one per URL
per account, so `create_oidc_provider=False` reuses the one another role of this stack owns, passed as
`oidc_provider` so this role is created after it, and `adopt_oidc_provider=True` imports one that exists
already instead of failing with EntityAlreadyExists), the deploy role (explicit name; `adopt_role=True`
imports a role made beforehand, e.g. from `frontdoor bootstrap-roles`, with its inline policy, their
documents left as they are for that one apply (`ignore_changes`) so the import succeeds whatever was
made by hand; the next run, with the flag unset, converges them to the derived documents),
trust policy from `frontdoor.domain.documents.github_oidc`: audience and `sub` pinned with StringEquals to one
repository and its listed branches, environments or pull requests), one `RolePolicyAttachment` per
managed policy (logical name `<name>/<policy key>`) and an optional inline policy. The trust policy
names the provider by the ARN IAM gives it, so it is known at preview and CrossGuard's
`github-oidc-trust-pinned` judges it before anything is created. Validation is eager: bad args raise
ValueError (with the fix) before a single resource registers. Role and provider are protected by
default: losing either locks CI out until someone with console access recreates them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from components.permission_set import managed_policy_key
from frontdoor.domain.documents.delivery_roles import DEPLOY_INLINE_POLICY_NAME, DEPLOY_ROLE_DESCRIPTION
from frontdoor.domain.documents.github_oidc import (
    GITHUB_OIDC_URL,
    STS_AUDIENCE,
    provider_arn,
    token_subjects,
    trust_policy,
    validate_account_id,
    validate_policy_arn,
    validate_role_name,
    validate_session_seconds,
)
from frontdoor.domain.documents.render import render_policy

TYPE = "frontdoor:aws:GitHubDeployRole"
INLINE_POLICY_NAME = DEPLOY_INLINE_POLICY_NAME
# What an adopted role keeps as it was made for the apply that imports it (Pulumi's import option fails,
# or updates in the same run, when the declared inputs differ from the live object).
ADOPTED_ROLE_KEEPS = ["assumeRolePolicy", "description", "maxSessionDuration", "tags"]
ADOPTED_POLICY_KEEPS = ["policy"]


@dataclass(frozen=True, kw_only=True)
class GitHubDeployRoleArgs:
    # "owner/repo": exactly one repository, never a wildcard.
    repository: str
    # The account that holds the role (the OIDC provider's ARN is derived from it).
    account_id: str
    provider: aws.Provider
    branches: tuple[str, ...] = ()
    environments: tuple[str, ...] = ()
    # Trust `repo:OWNER/REPO:pull_request`: anyone who can push a branch can run a PR workflow, so
    # only ever for a read-only preview role.
    pull_requests: bool = False
    role_name: str = "frontdoor-github-deploy"
    managed_policy_arns: tuple[str, ...] = ()
    inline_policy: Mapping[str, Any] | None = None
    inline_policy_name: str = INLINE_POLICY_NAME
    max_session_duration: int = 3600
    create_oidc_provider: bool = True
    # With create_oidc_provider: the provider exists already; adopt it (`import` option, by its ARN).
    adopt_oidc_provider: bool = False
    # Without create_oidc_provider: the provider resource this role's trust names, when this stack owns
    # it, so the role is created after it (IAM rejects a Federated principal that does not exist yet).
    oidc_provider: aws.iam.OpenIdConnectProvider | None = None
    # The role (and its inline policy) exist already, made beforehand: import them by name instead of
    # creating them (IAM CreateRole: EntityAlreadyExists), documents left as they are for this apply.
    adopt_role: bool = False
    # Statements appended to the trust after the GitHub one (e.g. the deployer's self-assumption).
    extra_trust_statements: tuple[Mapping[str, Any], ...] = ()
    description: str = DEPLOY_ROLE_DESCRIPTION
    tags: Mapping[str, str] = field(default_factory=dict)
    protect: bool = True
    subjects: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        validate_account_id(self.account_id)
        validate_role_name(self.role_name)
        validate_session_seconds(self.max_session_duration)
        keys: dict[str, str] = {}
        for arn in self.managed_policy_arns:
            key = managed_policy_key(validate_policy_arn(arn))
            if key in keys:
                raise ValueError(
                    f"managed policies {keys[key]!r} and {arn!r} share the name {key!r}: "
                    "list each policy once"
                )
            keys[key] = arn
        subjects = token_subjects(
            self.repository,
            branches=self.branches,
            environments=self.environments,
            pull_requests=self.pull_requests,
        )
        object.__setattr__(self, "subjects", subjects)


class GitHubDeployRole(pulumi.ComponentResource):
    role: aws.iam.Role
    role_arn: pulumi.Output[str]
    role_name: str
    oidc_provider_arn: str
    oidc_provider: aws.iam.OpenIdConnectProvider | None
    subjects: tuple[str, ...]
    trust_policy: str

    def __init__(
        self, name: str, args: GitHubDeployRoleArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self, provider=args.provider, protect=args.protect)
        self.oidc_provider = None
        depends: list[pulumi.Resource] = []
        self.oidc_provider_arn = provider_arn(args.account_id)
        if args.create_oidc_provider:
            self.oidc_provider = aws.iam.OpenIdConnectProvider(
                f"{name}/oidc-provider",
                url=GITHUB_OIDC_URL,
                client_id_lists=[STS_AUDIENCE],
                tags=dict(args.tags) or None,
                opts=pulumi.ResourceOptions.merge(
                    child,
                    pulumi.ResourceOptions(
                        import_=self.oidc_provider_arn if args.adopt_oidc_provider else None
                    ),
                ),
            )
            depends.append(self.oidc_provider)
        elif args.oidc_provider is not None:
            depends.append(args.oidc_provider)
        self.subjects = args.subjects
        document = trust_policy(self.oidc_provider_arn, args.subjects)
        document["Statement"].extend(dict(statement) for statement in args.extra_trust_statements)
        self.trust_policy = render_policy(document)
        self.role = aws.iam.Role(
            name,
            name=args.role_name,
            description=args.description,
            assume_role_policy=self.trust_policy,
            max_session_duration=args.max_session_duration,
            tags=dict(args.tags) or None,
            # The trust names the provider by its derived ARN: order the create explicitly.
            opts=pulumi.ResourceOptions.merge(
                child,
                pulumi.ResourceOptions(
                    depends_on=depends,
                    import_=args.role_name if args.adopt_role else None,
                    ignore_changes=ADOPTED_ROLE_KEEPS if args.adopt_role else None,
                ),
            ),
        )
        policy_children = pulumi.ResourceOptions(parent=self, provider=args.provider)
        for arn in sorted(args.managed_policy_arns):
            aws.iam.RolePolicyAttachment(
                f"{name}/{managed_policy_key(arn)}",
                role=self.role.name,
                policy_arn=arn,
                opts=policy_children,
            )
        if args.inline_policy is not None:
            aws.iam.RolePolicy(
                f"{name}/inline",
                name=args.inline_policy_name,
                role=self.role.name,
                policy=render_policy(args.inline_policy),
                opts=pulumi.ResourceOptions.merge(
                    policy_children,
                    pulumi.ResourceOptions(
                        import_=f"{args.role_name}:{args.inline_policy_name}" if args.adopt_role else None,
                        ignore_changes=ADOPTED_POLICY_KEEPS if args.adopt_role else None,
                    ),
                ),
            )
        self.role_name = args.role_name
        self.role_arn = self.role.arn
        self.register_outputs(
            {"roleArn": self.role_arn, "roleName": args.role_name, "subjects": list(args.subjects)}
        )
