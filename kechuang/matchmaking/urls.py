from django.urls import path

from kechuang.matchmaking import views

app_name = "matchmaking"

urlpatterns = [
    path("matches/<str:kind>/<int:pk>/", views.matches_panel, name="matches"),
    path("matchmaking/records/", views.record_list, name="record-list"),
    path("matchmaking/records/new/", views.make_record, name="record-create"),
    path("matchmaking/records/<int:pk>/<str:name>/", views.record_transition, name="record-transition"),
]
