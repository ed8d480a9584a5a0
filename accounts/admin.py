"""The Django admin: users and devices, behind both sign-in factors."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from accounts import audit
from accounts.escaping import visible_controls
from accounts.models import AuthEvent, EventType, TOTPDevice, User


class SiteAdmin(OTPAdminSite):
    """The admin site, open only to staff whose session passed the code step.

    Its own login page would be a password-only form, so it sends people to
    the site's two-step sign-in instead and returns them to the admin after.
    A signed-in user who is not staff gets the 403 page rather than a sign-in
    loop.
    """

    site_header = _("twofactor_site administration")
    site_title = _("twofactor_site admin")
    index_title = _("Data")

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            audit.record(
                EventType.ACCESS_DENIED,
                request,
                user=request.user,
                succeeded=False,
                detail=request.GET.get("next", request.path)[:200],
            )
            raise PermissionDenied

        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, reverse("accounts:login"))


site = SiteAdmin(name="admin")


class AccountChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class AccountCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "email", "full_name", "role")


@admin.register(User, site=site)
class UserAdmin(DjangoUserAdmin):
    form = AccountChangeForm
    add_form = AccountCreationForm
    list_display = ("username", "email", "full_name", "role", "is_active", "is_staff", "last_login")
    list_filter = ("role", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "email", "full_name")
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "email")}),
        (
            _("Permissions"),
            {
                "fields": (
                    "role",
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "email",
                    "full_name",
                    "role",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )


@admin.register(TOTPDevice, site=site)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """TOTP devices, without their secrets: the encrypted key is never shown."""

    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username", "user__email", "name")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = (
        "created_at",
        "last_used_at",
        "last_t",
        "drift",
        "throttling_failure_timestamp",
        "throttling_failure_count",
    )
    fields = ("user", "name", "confirmed", *readonly_fields)


site.register(Group, admin.ModelAdmin)


@admin.register(AuthEvent, site=site)
class AuthEventAdmin(admin.ModelAdmin):
    """The audit log, read-only: events are evidence, so the admin allows no edits."""

    list_display = ("created_at", "event_type", "succeeded", "shown_username", "client_address")
    list_filter = ("event_type", "succeeded")
    search_fields = ("username",)
    date_hierarchy = "created_at"
    list_select_related = ("user",)

    @admin.display(description=_("username tried"), ordering="username")
    def shown_username(self, event: AuthEvent) -> str:
        return visible_controls(event.username)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# Password failure records; deleting one lifts its lockout early.
site.register(AccessAttempt, AccessAttemptAdmin)
