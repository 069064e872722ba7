from django.urls import path

from . import views
from .feeds import ChangelogFeed

app_name = "releases"

urlpatterns = [
    path("p/<slug:slug>/builds/", views.builds, name="builds"),
    path("p/<slug:slug>/builds/internal/", views.cut_internal, name="cut_internal"),
    path("p/<slug:slug>/changelog/", views.changelog, name="changelog"),
    path("p/<slug:slug>/changelog.atom", ChangelogFeed(), name="changelog_feed"),
    path("builds/<int:pk>/", views.build_detail, name="build"),
    path("builds/<int:pk>/notes/", views.edit_intro, name="edit_intro"),
    path("builds/<int:pk>/publish/", views.publish, name="publish"),
    path("builds/<int:pk>/promote/", views.promote, name="promote"),
    path("builds/<int:pk>/rollout/", views.rollout, name="rollout"),
    path("builds/<int:pk>/halt/", views.halt, name="halt"),
    path("builds/<int:pk>/resume/", views.resume, name="resume"),
    path("builds/<int:pk>/run/", views.run, name="run"),
    path("builds/<int:pk>/known-issues/", views.mark_known_issue, name="mark_known_issue"),
    path(
        "builds/<int:pk>/known-issues/<int:post_id>/remove/",
        views.unmark_known_issue,
        name="unmark_known_issue",
    ),
    path("p/<slug:slug>/known-issues/", views.known_issues_box, name="known_issues_box"),
    path("changes/<int:pk>/", views.edit_change, name="edit_change"),
]
