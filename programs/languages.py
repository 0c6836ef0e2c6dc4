"""The interface language: English at every plain address, Simplified Chinese under
``/zh-hans/``. The language is the URL's alone (never a cookie's or the browser's),
so that a permalink opens in the language it was copied in and a cached page is
the right one for its address. The browser's language (or the reader's last
choice) only picks where the front page sends a newcomer; the switcher links to
the same page in the other language and remembers the choice."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

CHINESE = "zh-hans"


def without_language(path: str) -> str:
    """The path with its language prefix taken off: "/zh-hans/admin/" → "/admin/"."""
    language = translation.get_language_from_path(path)
    return path.removeprefix(f"/{language}") if language else path


def in_chinese() -> bool:
    """Whether the interface is in Chinese (then records show their Chinese names first)."""
    return (translation.get_language() or "").startswith("zh")


def local_name(english: str, chinese: str) -> str:
    """A record's name in the interface's language: the Chinese name in Chinese where
    there is one, else the English (the names the documents use)."""
    return chinese if chinese and in_chinese() else english


class UrlLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        if request.path_info == "/" and request.method in ("GET", "HEAD") and request.GET.get("lang") != language:
            wanted = translation.get_language_from_request(request, check_path=False)
            if wanted != settings.LANGUAGE_CODE:
                query = request.META.get("QUERY_STRING", "")
                response = HttpResponseRedirect(f"/{wanted}/" + (f"?{query}" if query else ""))
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
                return response
        request.LANGUAGE_CODE = language
        # For this request only: the thread's language afterwards is what it was before.
        with translation.override(language):
            response = self.get_response(request)
        if getattr(response, "streaming", False) and not getattr(response, "file_to_stream", None):
            # An export is written after the view returns: in the request's language too.
            response.streaming_content = _in_language(response.streaming_content, language)
        response.headers.setdefault("Content-Language", language)
        return response


def _in_language(chunks, language: str):
    with translation.override(language):
        yield from chunks


def switch(request):
    """``/language/?to=zh-hans&next=/workshops/?status=ceased``: the same page in the
    other language, remembered (a cookie) for the next visit to the front page."""
    to = request.GET.get("to", "")
    if to not in dict(settings.LANGUAGES):
        to = settings.LANGUAGE_CODE
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = "/"
    parts = urlsplit(target)
    path = parts.path or "/"
    # translate_url resolves the path in the active language: the path's own.
    with translation.override(translation.get_language_from_path(path) or settings.LANGUAGE_CODE):
        path = translate_url(path, to)
    location = path + (f"?{parts.query}" if parts.query else "")
    # What the path became must still be this site's ("//elsewhere" is another host).
    if not url_has_allowed_host_and_scheme(location, allowed_hosts={request.get_host()}) or path.startswith(
        ("//", "/\\")
    ):
        location = translate_url("/", to)
    response = HttpResponseRedirect(location)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        to,
        max_age=365 * 24 * 60 * 60,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    return response
