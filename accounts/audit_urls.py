from django.urls import path

from accounts.views import audit

app_name = "audit"

urlpatterns = [
    path("", audit.audit_log, name="list"),
]
