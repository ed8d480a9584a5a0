from django.urls import path

from accounts.views import profile, sessions, users

app_name = "users"

urlpatterns = [
    path("", users.user_list, name="list"),
    path("new/", users.user_create, name="create"),
    path("me/", profile.profile, name="me"),
    path("me/edit/", profile.edit_profile, name="edit-me"),
    path("me/sessions/end-others/", sessions.end_others, name="end-other-sessions"),
    path("<int:pk>/", users.user_detail, name="detail"),
]
