"""The vote's route on the production server's lean path (core/fastpath.py): a bearer-token
`PUT` or `DELETE /api/v1/posts/<id>/vote` is answered by the API route's own view (api.py)
behind the middleware a token call needs, without the rest of Django's request path. A
session's vote (its CSRF check) goes through Django."""

from orangefriday.core.fastpath import LeanRoute, api_view_route

# What the API's `posts/<post_id>/vote` pattern matches (Django's `<post_id>`: no slash);
# the view says what a bad id is (422), as it does through Django.
VOTE_PATH = r"/api/v1/posts/(?P<post_id>[^/]+)/vote"


def vote_route() -> LeanRoute:
    """Once the URLs are loaded (it resolves the API's vote path)."""
    return api_view_route({"PUT", "DELETE"}, VOTE_PATH, "/api/v1/posts/1/vote")
