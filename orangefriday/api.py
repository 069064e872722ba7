"""The JSON API at /api/v1: each app contributes a router; errors are problem details."""

from typing import Any

from ninja import NinjaAPI

from orangefriday.accounts.api import router as accounts_router
from orangefriday.board.api import router as board_router
from orangefriday.core.api import document_errors, install_error_handlers
from orangefriday.feedback.api import router as feedback_router
from orangefriday.insights.api import router as insights_router
from orangefriday.moderation.api import router as moderation_router
from orangefriday.notifications.api import router as notifications_router
from orangefriday.planning.api import router as planning_router
from orangefriday.releases.api import router as releases_router
from orangefriday.reputation.api import router as reputation_router
from orangefriday.sales.api import router as sales_router
from orangefriday.voting.api import router as voting_router


class OrangeFridayAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return document_errors(super().get_openapi_schema(**kwargs))


api = OrangeFridayAPI(
    title="Orange Friday API",
    version="1",
    description=(
        "Boards, posts, votes and comments. Authenticate with `Authorization: Bearer <token>` "
        "(create a token on your settings page) or with the logged-in session plus CSRF token. "
        "Errors are RFC 9457 problem details; `errors[].field` names the offending field."
    ),
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("", accounts_router)
api.add_router("", board_router)
api.add_router("", voting_router)
api.add_router("", notifications_router)
api.add_router("", releases_router)
api.add_router("", feedback_router)
api.add_router("", insights_router)
api.add_router("", planning_router)
api.add_router("", moderation_router)
api.add_router("", reputation_router)
api.add_router("", sales_router)
