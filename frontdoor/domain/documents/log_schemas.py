"""The documented fields of the two log sources the identity monitors read, and a check of log queries.

A Datadog log query that names an attribute the source never sends matches nothing, forever, and the
monitor stays green: the worst kind of monitor. So every query frontdoor registers is checked here
against the fields each source documents (Datadog keeps the original JSON attributes of both, under
`@<path>`):

- Okta System Log, the LogEvent object: https://developer.okta.com/docs/reference/api/system-log/
  (#logevent-object): uuid, published, eventType, version, severity, legacyEventType, displayMessage,
  actor, client, request, outcome, target, transaction, debugContext, authenticationContext,
  securityContext; Actor/Target {id, type, alternateId, displayName, detailEntry}, Outcome
  {result, reason}, Client {userAgent, zone, device, id, ipAddress, geographicalContext}.
- AWS CloudTrail record contents: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/
  cloudtrail-event-reference-record-contents.html, and the userIdentity element
  (cloudtrail-event-reference-user-identity.html). `requestParameters`, `responseElements`,
  `additionalEventData` and `serviceEventDetails` are service-specific objects: any sub-path is allowed.

Datadog's reserved attributes (`source`, `service`, `host`, `status`) are written without `@`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

OKTA_FIELDS: frozenset[str] = frozenset(
    {
        "uuid",
        "published",
        "eventType",
        "version",
        "severity",
        "legacyEventType",
        "displayMessage",
        "actor.id",
        "actor.type",
        "actor.alternateId",
        "actor.displayName",
        "actor.detailEntry",
        "client.userAgent.rawUserAgent",
        "client.userAgent.os",
        "client.userAgent.browser",
        "client.zone",
        "client.device",
        "client.id",
        "client.ipAddress",
        "client.geographicalContext.city",
        "client.geographicalContext.state",
        "client.geographicalContext.country",
        "client.geographicalContext.postalCode",
        "outcome.result",
        "outcome.reason",
        "target.id",
        "target.type",
        "target.alternateId",
        "target.displayName",
        "target.detailEntry",
        "transaction.type",
        "transaction.id",
        "transaction.detail",
        "authenticationContext.authenticationProvider",
        "authenticationContext.credentialProvider",
        "authenticationContext.credentialType",
        "authenticationContext.externalSessionId",
        "authenticationContext.interface",
        "authenticationContext.issuer",
        "securityContext.asNumber",
        "securityContext.asOrg",
        "securityContext.isp",
        "securityContext.domain",
        "securityContext.isProxy",
        "request.ipChain",
    }
)
OKTA_OPEN_PREFIXES: tuple[str, ...] = ("debugContext.debugData.",)

CLOUDTRAIL_FIELDS: frozenset[str] = frozenset(
    {
        "eventTime",
        "eventVersion",
        "eventSource",
        "eventName",
        "awsRegion",
        "sourceIPAddress",
        "userAgent",
        "errorCode",
        "errorMessage",
        "requestID",
        "eventID",
        "eventType",
        "eventCategory",
        "apiVersion",
        "managementEvent",
        "readOnly",
        "recipientAccountId",
        "sharedEventID",
        "vpcEndpointId",
        "vpcEndpointAccountId",
        "sessionCredentialFromConsole",
        "resources.ARN",
        "resources.accountId",
        "resources.type",
        "tlsDetails.tlsVersion",
        "tlsDetails.cipherSuite",
        "tlsDetails.clientProvidedHostHeader",
        "userIdentity.type",
        "userIdentity.principalId",
        "userIdentity.arn",
        "userIdentity.accountId",
        "userIdentity.accessKeyId",
        "userIdentity.userName",
        "userIdentity.invokedBy",
        "userIdentity.identityProvider",
        "userIdentity.credentialId",
        "userIdentity.onBehalfOf.userId",
        "userIdentity.onBehalfOf.identityStoreArn",
        "userIdentity.sessionContext.sessionIssuer.type",
        "userIdentity.sessionContext.sessionIssuer.principalId",
        "userIdentity.sessionContext.sessionIssuer.arn",
        "userIdentity.sessionContext.sessionIssuer.accountId",
        "userIdentity.sessionContext.sessionIssuer.userName",
        "userIdentity.sessionContext.attributes.creationDate",
        "userIdentity.sessionContext.attributes.mfaAuthenticated",
        "userIdentity.sessionContext.sourceIdentity",
        "userIdentity.sessionContext.webIdFederationData.federatedProvider",
    }
)
CLOUDTRAIL_OPEN_PREFIXES: tuple[str, ...] = (
    "requestParameters.",
    "responseElements.",
    "additionalEventData.",
    "serviceEventDetails.",
)

SOURCES: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "okta": (OKTA_FIELDS, OKTA_OPEN_PREFIXES),
    "cloudtrail": (CLOUDTRAIL_FIELDS, CLOUDTRAIL_OPEN_PREFIXES),
}
RESERVED = frozenset({"source", "service", "host", "status"})

# `@path:` facets; `source:x` / `service:x` reserved attributes (not preceded by @ or a path character).
_FACET = re.compile(r"(?<![\w.@-])(-?)@([A-Za-z_][\w.]*)(?=:)")
_SOURCE = re.compile(r"(?<![\w.@])source:([\w-]+)")
_BARE = re.compile(r"(?<![\w.@\"])([A-Za-z_][\w.]*):(?!//)")


def _without_strings(query: str) -> str:
    return re.sub(r'"(?:[^"\\]|\\.)*"', '""', query)


def query_source(query: str) -> str:
    """The one log source a query reads (`source:okta` or `source:cloudtrail`); ValueError otherwise."""
    sources: set[str] = set(_SOURCE.findall(_without_strings(query)))
    if len(sources) != 1:
        raise ValueError(
            f"log query {query!r} must name exactly one source (source:okta or source:cloudtrail), "
            f"found {sorted(sources) or 'none'}"
        )
    source = sources.pop()
    if source not in SOURCES:
        raise ValueError(f"log query {query!r} reads source:{source}; known sources: {sorted(SOURCES)}")
    return source


def query_fields(query: str) -> list[str]:
    """The `@` attribute paths a log search query names, in order."""
    return [path for _, path in _FACET.findall(_without_strings(query))]


def is_documented(source: str, path: str) -> bool:
    fields, open_prefixes = SOURCES[source]
    return path in fields or any(
        path.startswith(prefix) and len(path) > len(prefix) for prefix in open_prefixes
    )


def check_log_query(query: str, extra_paths: Iterable[str] = ()) -> str:
    """The query's source if every attribute it names (and every `extra_paths` one, e.g. group-by
    paths) is documented for that source; ValueError naming the unknown field and the doc otherwise."""
    source = query_source(query)
    text = _without_strings(query)
    for name in _BARE.findall(re.sub(r"@[\w.]+:", "", text)):
        if name not in RESERVED:
            raise ValueError(
                f"log query {query!r} names {name!r} without '@'; Datadog reads it as a tag, not an "
                f"attribute of the {source} log: write @{name} or use a reserved attribute "
                f"({', '.join(sorted(RESERVED))})"
            )
    for path in [*query_fields(query), *(p.removeprefix("@") for p in extra_paths)]:
        if not is_documented(source, path):
            raise ValueError(
                f"log query {query!r} names @{path}, which is not a field of the documented {source} log "
                f"schema (frontdoor/domain/documents/log_schemas.py); a monitor on it would never fire"
            )
    return source
