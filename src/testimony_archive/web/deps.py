"""Request dependencies: settings, the service, the viewer and the interface language.

They are `async` although they never wait: FastAPI runs a plain function in a worker
thread, and the hop there and back would cost more than the function itself."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ..access import Viewer
from ..config import Settings
from ..i18n import Translator, translator
from ..service import SearchService
from .contexts import Chrome
from .i18n import choose_language


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_service(request: Request) -> SearchService:
    service: SearchService = request.app.state.service
    return service


async def get_viewer(request: Request) -> Viewer:
    """Who is asking. Until accounts exist every visitor is anonymous; a server started
    with TESTIMONY_EDITING=1 lets them edit tags under its TESTIMONY_EDITOR name."""
    settings: Settings = request.app.state.settings
    return Viewer.anonymous(open_editing_as=settings.editor if settings.editing else None)


async def get_translator(request: Request) -> Translator:
    return translator_for(request)


def translator_for(request: Request) -> Translator:
    """The interface language: ?lang=, then the cookie, then the browser's preference."""
    return translator(
        choose_language(
            request.query_params.get("lang"),
            request.cookies.get("lang"),
            request.headers.get("accept-language"),
        )
    )


async def get_chrome(
    request: Request, translate: Annotated[Translator, Depends(get_translator)]
) -> Chrome:
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return Chrome(translate, path)


SettingsDep = Annotated[Settings, Depends(get_settings)]
ServiceDep = Annotated[SearchService, Depends(get_service)]
ViewerDep = Annotated[Viewer, Depends(get_viewer)]
ChromeDep = Annotated[Chrome, Depends(get_chrome)]
