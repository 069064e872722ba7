from django.urls import path

from . import views
from .feeds import ChangelogFeed

app_name = "releases"

urlpatterns = [
    path("p/<slug:slug>/builds/", views.builds, name="builds"),
    path("p/<slug:slug>/builds/internal/", views.cut_internal, name="cut_internal"),
    path("p/<slug:slug>/changelog/", views.changelog, name="changelog"),
    path("p/<slug:slug>/changelog.atom", ChangelogFeed(), name="changelog_feed"),
    path("builds/<id:pk>/", views.build_detail, name="build"),
    path("builds/<id:pk>/notes/", views.edit_intro, name="edit_intro"),
    path("builds/<id:pk>/publish/", views.publish, name="publish"),
    path("builds/<id:pk>/promote/", views.promote, name="promote"),
    path("builds/<id:pk>/rollout/", views.rollout, name="rollout"),
    path("builds/<id:pk>/halt/", views.halt, name="halt"),
    path("builds/<id:pk>/resume/", views.resume, name="resume"),
    path("builds/<id:pk>/run/", views.run, name="run"),
    path("builds/<id:pk>/known-issues/", views.mark_known_issue, name="mark_known_issue"),
    path(
        "builds/<id:pk>/known-issues/<id:post_id>/remove/",
        views.unmark_known_issue,
        name="unmark_known_issue",
    ),
    path("p/<slug:slug>/known-issues/", views.known_issues_box, name="known_issues_box"),
    path("changes/<id:pk>/", views.edit_change, name="edit_change"),
]
