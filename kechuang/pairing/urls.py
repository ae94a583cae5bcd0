from django.urls import path

from kechuang.pairing import views

app_name = "pairing"

urlpatterns = [
    path("pairing/", views.campaign_list, name="campaign-list"),
    path("pairing/new/", views.campaign_create, name="campaign-create"),
    path("pairing/mine/", views.my_pairings, name="mine"),
    path("pairing/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("pairing/<int:pk>/compute/", views.campaign_compute, name="campaign-compute"),
    path("pairing/<int:pk>/publish/", views.campaign_publish, name="campaign-publish"),
    path("pairing/pairings/<int:pk>/swap/", views.pairing_swap, name="pairing-swap"),
]
