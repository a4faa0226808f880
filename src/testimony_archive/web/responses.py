"""Rendering a page context into an HTML response."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from ..config import Settings
from .contexts import Chrome, Page, template_context
from .csrf import csrf_token, remember
from .rendering import render


def page_response(request: Request, page: Page, chrome: Chrome, status: int = 200) -> HTMLResponse:
    settings: Settings = request.app.state.settings
    chrome.body_class = chrome.body_class or page.template.removesuffix(".html")
    if chrome.viewer.signed_in or getattr(page, "forms", False):
        chrome.csrf = csrf_token(request)  # its forms (signing out, at least) need it
    html = render(settings.templates_dir, page.template, template_context(page, chrome))
    response = HTMLResponse(html, status_code=status)
    remember(request, response)
    if request.query_params.get("lang") == chrome.language:
        response.set_cookie(
            "lang", chrome.language, max_age=365 * 24 * 3600, samesite="lax", httponly=True
        )
    return response
