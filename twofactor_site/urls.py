from django.urls import include, path
from django.views.generic import RedirectView

from accounts.admin import site as admin_site

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="users:me", permanent=False)),
    path("accounts/", include("accounts.urls")),
    path("users/", include("accounts.user_urls")),
    path("audit/", include("accounts.audit_urls")),
    path("admin/", admin_site.urls),
]

handler400 = "accounts.views.errors.bad_request"
handler403 = "accounts.views.errors.permission_denied"
handler404 = "accounts.views.errors.page_not_found"
handler500 = "accounts.views.errors.server_error"
