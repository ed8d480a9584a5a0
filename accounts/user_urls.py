from django.urls import path

from accounts.views import profile, recovery_codes, security, sessions, user_admin, users

app_name = "users"

urlpatterns = [
    path("", users.user_list, name="list"),
    path("new/", users.user_create, name="create"),
    path("me/", profile.profile, name="me"),
    path("me/edit/", profile.edit_profile, name="edit-me"),
    path("me/password/", security.change_password, name="password"),
    path("me/authenticator/", security.replace_authenticator, name="authenticator"),
    path("me/recovery-codes/", recovery_codes.regenerate_codes, name="recovery-codes"),
    path("me/recovery-codes/shown/", recovery_codes.codes_shown, name="recovery-codes-shown"),
    path("me/trusted-browsers/forget/", security.forget_trusted_browsers, name="forget-browsers"),
    path("me/reauthenticate/", security.reauthenticate, name="reauthenticate"),
    path(
        "me/reauthenticate/recovery/",
        security.reauthenticate_with_recovery_code,
        name="reauthenticate-recovery",
    ),
    path("me/sessions/end-others/", sessions.end_others, name="end-other-sessions"),
    path("<int:pk>/", users.user_detail, name="detail"),
    path("<int:pk>/role/", user_admin.change_role, name="role"),
    path("<int:pk>/deactivate/", user_admin.deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", user_admin.reactivate, name="reactivate"),
    path("<int:pk>/reset-two-factor/", user_admin.reset_two_factor, name="reset-two-factor"),
    path("<int:pk>/invite/", user_admin.resend_invitation, name="invite"),
]
