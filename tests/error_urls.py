"""The site's URLs plus one view that fails, to test the 500 page."""

from django.urls import path

from twofactor_site.urls import handler400, handler403, handler404, handler500, urlpatterns


def failing_view(request):
    raise RuntimeError("settings SECRET_KEY and a traceback must not leak")


urlpatterns = [*urlpatterns, path("fail/", failing_view)]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
