from django.contrib import admin
from django.urls import include, path

from orangefriday.api import api
from orangefriday.board import views as board_views

urlpatterns = [
    # The API first: Django tries patterns in order, and the API takes the busiest calls
    # (votes); a page's path fails this prefix at once.
    path("api/v1/", api.urls),
    path("", board_views.home, name="home"),
    path("", include("orangefriday.ranking.urls")),
    path("", include("orangefriday.board.urls")),
    path("", include("orangefriday.voting.urls")),
    path("", include("orangefriday.notifications.urls")),
    path("", include("orangefriday.releases.urls")),
    path("", include("orangefriday.feedback.urls")),
    path("", include("orangefriday.insights.urls")),
    path("", include("orangefriday.planning.urls")),
    path("", include("orangefriday.moderation.urls")),
    path("", include("orangefriday.reputation.urls")),
    path("", include("orangefriday.sales.urls")),
    path("accounts/", include("orangefriday.accounts.urls")),
    path("admin/", admin.site.urls),
]

# Styled pages in the site's frame; the API's requests get problem details (board.error_pages).
handler400 = "orangefriday.board.error_pages.bad_request"
handler403 = "orangefriday.board.error_pages.permission_denied"
handler404 = "orangefriday.board.error_pages.page_not_found"
handler500 = "orangefriday.board.error_pages.server_error"
