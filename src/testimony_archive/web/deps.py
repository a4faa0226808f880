"""Request dependencies: settings, the search service and the interface language."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ..config import Settings
from ..index import SearchService
from .contexts import Chrome
from .i18n import Translator, choose_language, translator


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_service(request: Request) -> SearchService:
    service: SearchService = request.app.state.service
    return service


def get_translator(request: Request) -> Translator:
    return translator(
        choose_language(
            request.query_params.get("lang"),
            request.cookies.get("lang"),
            request.headers.get("accept-language"),
        )
    )


def get_chrome(
    request: Request, translate: Annotated[Translator, Depends(get_translator)]
) -> Chrome:
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return Chrome(translate, path)


SettingsDep = Annotated[Settings, Depends(get_settings)]
ServiceDep = Annotated[SearchService, Depends(get_service)]
ChromeDep = Annotated[Chrome, Depends(get_chrome)]
