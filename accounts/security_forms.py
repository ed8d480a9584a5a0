"""Forms of the account security pages: recovery codes, re-authentication,
password change and the trusted-browser choice on the code step."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts import password_guessing, recovery_codes
from accounts.forms import MAX_PASSWORD_LENGTH, CodeForm
from accounts.models import User

# Long enough for a code typed with spaces or hyphens, short enough to reject
# pasted garbage before parsing it.
MAX_RECOVERY_CODE_INPUT = 64


class CodeStepForm(CodeForm):
    """The sign-in code step, with the choice to trust this browser."""

    trust_browser = forms.BooleanField(
        required=False,
        label=ngettext_lazy(
            "Don't ask for a code on this browser for %(days)d day",
            "Don't ask for a code on this browser for %(days)d days",
            "days",
        ),
        help_text=_("Only on a browser that nobody else uses. Changing your password ends it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["trust_browser"]
        field.label = field.label % {"days": settings.TRUSTED_BROWSER_DAYS}


class RecoveryCodeForm(forms.Form):
    """One recovery code, in its own field apart from the authenticator code."""

    error_messages = {
        "invalid_recovery_code": _(
            "Enter one of your recovery codes, such as abcd-efgh-jkmn: 12 letters and digits."
        ),
    }

    recovery_code = forms.CharField(
        label=_("Recovery code"),
        strip=True,
        max_length=MAX_RECOVERY_CODE_INPUT,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
                "size": 16,
            }
        ),
        help_text=_("Each code works once. Hyphens, spaces and capital letters are ignored."),
    )

    def clean_recovery_code(self) -> str:
        code = recovery_codes.normalize_code(self.cleaned_data["recovery_code"])
        if code is None:
            raise forms.ValidationError(
                self.error_messages["invalid_recovery_code"], code="invalid_recovery_code"
            )
        return code


class CurrentPasswordMixin(forms.Form):
    """A ``password`` field checked against the signed-in user's password.

    The check goes through ``password_guessing.check_password``, so a failure
    counts towards the guessing limits like a failed sign-in.
    ``authenticated_user`` is the user as saved after the check, which may
    have upgraded the password hash.
    """

    error_messages = {
        "wrong_password": _("Your password is not correct. Enter it again."),
    }

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=MAX_PASSWORD_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, request: HttpRequest, user: User, *args, **kwargs):
        self.request = request
        self.user = user
        self.authenticated_user = None
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        result = password_guessing.check_password(self.request, self.user, password)
        if result is not password_guessing.PasswordCheck.ACCEPTED:
            raise forms.ValidationError(
                self.error_messages["wrong_password"], code="wrong_password"
            )

        self.authenticated_user = User.objects.get(pk=self.user.pk)
        return password


class ReauthenticationForm(CurrentPasswordMixin, CodeForm):
    """Password and the current code from the authenticator app."""

    error_messages = {**CodeForm.error_messages, **CurrentPasswordMixin.error_messages}

    field_order = ["password", "code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.pop("autofocus", None)


class RecoveryReauthenticationForm(CurrentPasswordMixin, RecoveryCodeForm):
    """Password and one recovery code."""

    error_messages = {**RecoveryCodeForm.error_messages, **CurrentPasswordMixin.error_messages}

    field_order = ["password", "recovery_code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recovery_code"].widget.attrs.pop("autofocus", None)


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Current password and the new one twice, checked by AUTH_PASSWORD_VALIDATORS.

    The current password is checked within the guessing limits, like the
    password on the re-authentication page.
    """

    def __init__(self, request: HttpRequest, *args, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)
        for name in ("old_password", "new_password1", "new_password2"):
            self.fields[name].max_length = MAX_PASSWORD_LENGTH
            self.fields[name].validators.append(MaxLengthValidator(MAX_PASSWORD_LENGTH))
        self.fields["old_password"].widget.attrs["autocomplete"] = "current-password"
        self.fields["new_password1"].widget.attrs["autocomplete"] = "new-password"
        self.fields["new_password2"].widget.attrs["autocomplete"] = "new-password"

    def clean_old_password(self) -> str:
        password = self.cleaned_data["old_password"]
        result = password_guessing.check_password(self.request, self.user, password)
        if result is not password_guessing.PasswordCheck.ACCEPTED:
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return password


class RecoveryCodesSavedForm(forms.Form):
    """The page that shows a new set: the codes themselves and the user's confirmation.

    The codes come back in hidden ``code`` fields, so the page can offer them
    as a file and show them again if the box is not ticked. The view checks
    them against the stored digests before it uses them.
    """

    saved = forms.BooleanField(
        label=_("I have saved these recovery codes somewhere safe."),
        error_messages={"required": _("Tick the box to confirm that you saved your codes.")},
    )
