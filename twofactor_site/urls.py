from django.urls import include, path
from django.views.generic import RedirectView

from accounts.admin import site as admin_site

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="users:me", permanent=False)),
    path("accounts/", include("accounts.urls")),
    path("users/", include("accounts.user_urls")),
    path("admin/", admin_site.urls),
]
