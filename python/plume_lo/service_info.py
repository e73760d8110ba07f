"""XServiceInfo for Plume's components: each names its implementation and services once."""

from __future__ import annotations

from typing import ClassVar

from com.sun.star.lang import XServiceInfo


class ServiceInfo(XServiceInfo):  # type: ignore[misc]
    implementation: ClassVar[str]
    services: ClassVar[tuple[str, ...]]

    def getImplementationName(self) -> str:
        return self.implementation

    def supportsService(self, name: str) -> bool:
        return name in self.services

    def getSupportedServiceNames(self) -> tuple[str, ...]:
        return self.services
