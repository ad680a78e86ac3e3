"""The App Catalog: a handful of integrations, so searching "cybozu" is a real search."""

from __future__ import annotations

from dataclasses import dataclass

CYBOZU = "cybozu"


@dataclass(frozen=True)
class CatalogApp:
    key: str
    name: str
    description: str
    provisioning: bool  # supports Provisioning to App over SCIM


CATALOG = [
    CatalogApp(
        CYBOZU,
        "Cybozu (cybozu.com)",
        "kintone, Garoon and other cybozu.com services. SAML, SCIM provisioning.",
        True,
    ),
    CatalogApp("box", "Box", "Cloud content management.", False),
    CatalogApp("slack", "Slack", "Messaging for teams.", False),
    CatalogApp("salesforce", "Salesforce.com", "Customer relationship management.", False),
    CatalogApp("zoom", "Zoom", "Video meetings.", False),
    CatalogApp("google", "Google Workspace", "Gmail, Drive, Calendar.", False),
    CatalogApp("office365", "Microsoft Office 365", "Outlook, Teams, SharePoint.", False),
    CatalogApp("github", "GitHub Enterprise Cloud - Organization", "Code hosting.", False),
    CatalogApp("atlassian", "Atlassian Cloud", "Jira and Confluence.", False),
    CatalogApp("cybozu-office", "Cybozu Office 10", "On-premises groupware (SAML only).", False),
]


def search(query: str) -> list[CatalogApp]:
    """Case-insensitive match on name and description; an empty query lists everything."""
    words = query.lower().split()
    return [a for a in CATALOG if all(w in f"{a.name} {a.description}".lower() for w in words)]


def get(key: str) -> CatalogApp | None:
    return next((a for a in CATALOG if a.key == key), None)
