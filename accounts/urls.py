from django.urls import path

from accounts.views import first_password, invitations, recovery_signin, setup, signin

app_name = "accounts"

urlpatterns = [
    path("login/", signin.password_step, name="login"),
    path("login/code/", signin.code_step, name="code"),
    path("login/enrol/", signin.enrol_step, name="enrol"),
    path("login/recovery/", recovery_signin.recovery_step, name="recovery"),
    path("login/new-password/", first_password.new_password_step, name="new-password"),
    path("logout/", signin.sign_out, name="logout"),
    path("setup/<str:token>/", setup.first_admin_setup, name="first-admin"),
    path("invitation/<str:token>/", invitations.accept_invitation, name="invitation"),
]
