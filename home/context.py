"""What the apps above the page models add to a page's context.

A page model sits low in the import order (the place tree below works, budgets and
participation), yet its page shows what those apps know. Each page asks a Wagtail hook, and the
apps that have something to show register for it in their ``wagtail_hooks.py``:

- ``home_page_context``: the city's home page;
- ``neighborhood_page_context``: a neighbourhood's page.

A function registered for one of them is called as ``add(page, request, context)`` and adds to
``context`` in place; hooks run in their ``order``.
"""

from wagtail import hooks


def extend_context(hook_name: str, page, request, context: dict) -> dict:
    """Let every function registered for ``hook_name`` add to ``context``; return it."""
    for add in hooks.get_hooks(hook_name):
        add(page, request, context)
    return context
