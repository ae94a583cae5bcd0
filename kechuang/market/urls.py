from django.urls import path, re_path

from kechuang.market import views

app_name = "market"

urlpatterns = [
    path("achievements/", views.AchievementListView.as_view(), name="achievement-list"),
    path("demands/", views.DemandListView.as_view(), name="demand-list"),
    path("experts/", views.ExpertListView.as_view(), name="expert-list"),
]
for registry, singular in views.SINGULAR.items():
    urlpatterns += [
        path(f"{registry}/new/", views.create, {"registry": registry}, name=f"{singular}-create"),
        path(f"{registry}/<int:pk>/", views.detail, {"registry": registry}, name=f"{singular}-detail"),
        path(f"{registry}/<int:pk>/edit/", views.edit, {"registry": registry}, name=f"{singular}-edit"),
        path(f"{registry}/<int:pk>/adopt-field/", views.adopt_field, {"registry": registry},
             name=f"{singular}-adopt-field"),
        path(f"{registry}/<int:pk>/<str:name>/", views.transition, {"registry": registry},
             name=f"{singular}-transition"),
    ]
# Only the registries' own prefixes: a bare <str:registry> would swallow other apps' ".../import/" URLs.
_REGISTRY = "(?P<registry>" + "|".join(views.SINGULAR) + ")"
urlpatterns += [
    re_path(rf"^{_REGISTRY}/import/$", views.import_file, name="import"),
    re_path(rf"^{_REGISTRY}/template\.xlsx$", views.template, name="template"),
]
