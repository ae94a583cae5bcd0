"""URL map: pages per app, the REST API under /api/, Django admin under /admin/."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from kechuang.api import api, unknown_address

admin.site.site_header = "科创平台管理后台"
admin.site.site_title = "科创平台"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("", include("kechuang.common.urls")),
    path("", include("kechuang.core.urls")),
    path("", include("kechuang.market.urls")),
    path("", include("kechuang.matchmaking.urls")),
    path("", include("kechuang.pairing.urls")),
    path("", include("kechuang.cultivation.urls")),
    path("", include("kechuang.rdreport.urls")),
    path("api/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", unknown_address),  # JSON 404, not the HTML page
    path("admin/", admin.site.urls),
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
]
