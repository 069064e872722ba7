from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("p/<slug:slug>/insights/", views.insights, name="insights"),
    path("p/<slug:slug>/insights/<slug:key>.csv", views.insights_csv, name="csv"),
]
