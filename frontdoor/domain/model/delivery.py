"""`frontdoor:delivery`: CI delivery without stored keys (GitHub Actions OIDC roles)."""

from __future__ import annotations

from pydantic import Field

from frontdoor.domain.base.aws_ids import RoleNameText
from frontdoor.domain.model.fields import Model


class DeliveryConfig(Model):
    """CI delivery without stored keys: GitHub Actions OIDC roles in the management account."""

    repository: str = Field(pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
    deploy_environments: list[str] = Field(default_factory=lambda: ["prod"], min_length=1)
    # Read-only role for pull-request previews: anyone who can push a branch can run those.
    preview_role_name: RoleNameText = "frontdoor-github-preview"
    preview_branches: list[str] = Field(default_factory=lambda: ["main"])
    # The account's GitHub OIDC provider already exists (IAM allows one per URL): adopt it with the
    # `import` resource option instead of creating it (which fails with EntityAlreadyExists).
    adopt_oidc_provider: bool = False
    # The deploy role (organization.deployerRoleName) or the preview role was made beforehand, as
    # `frontdoor bootstrap-roles` prints it (the providers assume it before the first resource, so this
    # stack cannot create it first): import it and its inline policy instead of failing with
    # EntityAlreadyExists. Unset after the apply that imported it: the next run converges the documents.
    adopt_deploy_role: bool = False
    adopt_preview_role: bool = False
