from typing import Any

from django.http import HttpRequest

from .navigation import navigation_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The user's navigation, the item the current page belongs to, and their jurisdictions' names.

    The current item is the one whose URL is the longest prefix of the path ("/" only matches
    itself), so detail pages highlight their list.
    """
    user = getattr(request, "user", None)
    items = navigation_for(user)
    current = ""
    path = getattr(request, "path", "")
    for item in items:
        url = item.url
        matches = path == url if url == "/" else path.startswith(url)
        if matches and len(url) > len(current):
            current = url
    names: list[str] = []
    if user is not None and user.is_authenticated:
        names = list(user.jurisdictions.values_list("name", flat=True))
    return {"nav_items": items, "nav_current_url": current, "user_jurisdiction_names": names}
