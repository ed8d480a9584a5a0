"""Forms: validation of input, with errors attached to the field at fault."""

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    BaseUserCreationForm,
    SetPasswordForm,
    UsernameField,
)
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import EventType, Role, User
from accounts.validators import reject_control_characters
from accounts.verification import normalize_code

# Long enough for any passphrase, short enough that hashing stays cheap.
MAX_PASSWORD_LENGTH = 1024


class PasswordStepForm(AuthenticationForm):
    """The first sign-in step: username and password.

    The error for an unknown user, a wrong password and an inactive account
    is the same message, so the form does not reveal which accounts exist.
    Django's own message calls both fields case-sensitive, but
    usernames here match in any letter case.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or password is not correct. Passwords are case-sensitive; "
            "usernames are not."
        ),
    }

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=MAX_PASSWORD_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    """A six-digit code from the authenticator app."""

    error_messages = {
        "invalid_code": _(
            "Enter the 6-digit code from your authenticator app, digits 0 to 9 only."
        ),
    }

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "size": 8,
            }
        ),
        help_text=_("Six digits; spaces are ignored."),
    )

    def clean_code(self) -> str:
        raw = self.cleaned_data["code"]
        code = normalize_code(raw)
        if code is None:
            raise forms.ValidationError(self.error_messages["invalid_code"], code="invalid_code")
        return code


class UniqueIgnoringCaseMixin:
    """Field errors for a username or email already taken in any letter case."""

    def clean_username(self) -> str:
        username = self.cleaned_data.get("username", "")
        taken = User.objects.with_username(username).exclude(pk=self.instance.pk)
        if username and taken.exists():
            raise forms.ValidationError(
                _("A user with that username already exists."), code="unique_username"
            )
        return username

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data.get("email", ""))
        taken = User.objects.with_email(email).exclude(pk=self.instance.pk)
        if email and taken.exists():
            raise forms.ValidationError(
                _("A user with that email address already exists."), code="unique_email"
            )
        return email


class ProfileForm(UniqueIgnoringCaseMixin, forms.ModelForm):
    """The fields a user may change on their own profile, and nothing else."""

    class Meta:
        model = User
        fields = ["full_name", "email"]
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].validators.append(reject_control_characters)


class UserCreateForm(UniqueIgnoringCaseMixin, BaseUserCreationForm):
    """An admin's form for a new account, named as the old API's schema."""

    class Meta:
        model = User
        fields = ["username", "email", "full_name", "role"]
        field_classes = {"username": UsernameField}
        widgets = {
            "username": forms.TextInput(attrs={"autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "full_name": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].validators.append(reject_control_characters)
        if "role" in self.fields:
            self.fields["role"].initial = Role.USER
        for name in ("password1", "password2"):
            self.fields[name].validators.append(MaxLengthValidator(MAX_PASSWORD_LENGTH))


class FirstAdminForm(UserCreateForm):
    """The first admin's own details; the role is always admin."""

    class Meta(UserCreateForm.Meta):
        fields = ["username", "email", "full_name"]
        widgets = {
            "username": forms.TextInput(attrs={"autocomplete": "username"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
        }


class UserCreateOrInviteForm(UserCreateForm):
    """An admin's form for a new account whose password fields may both stay empty.

    With both empty, the account gets no usable password and the user is
    invited to choose one. With a password, the user must replace it at their
    first sign-in.
    """

    error_messages = {
        **UserCreateForm.error_messages,
        "password_once": _(
            "Enter the password twice, or leave both password fields empty to send "
            "an invitation instead."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("password1", "password2"):
            self.fields[name].required = False
        self.fields["password1"].help_text = _(
            "Leave both password fields empty to email the user an invitation link, by which "
            "they choose their own password."
        )

    def validate_passwords(self, *args, **kwargs) -> None:
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data.get("password2")
        if bool(password1) != bool(password2):
            empty_field = "password2" if password1 else "password1"
            self.add_error(
                empty_field,
                forms.ValidationError(self.error_messages["password_once"], code="password_once"),
            )
            return
        super().validate_passwords(*args, **kwargs)

    @property
    def invites(self) -> bool:
        """Whether the valid form requests an invitation instead of setting a password."""
        return not self.cleaned_data.get("password1")


class NewPasswordForm(SetPasswordForm):
    """A user's choice of a new password, checked by Django's password validators.

    With ``reject_current``, the user's current password is rejected, because
    an admin chose it.
    """

    error_messages = {
        **SetPasswordForm.error_messages,
        "same_as_current": _("Choose a password different from the one you were given."),
    }

    def __init__(self, user: User, *args, reject_current: bool = False, **kwargs):
        self.reject_current = reject_current
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].widget.attrs["autofocus"] = True
        for name in ("new_password1", "new_password2"):
            self.fields[name].validators.append(MaxLengthValidator(MAX_PASSWORD_LENGTH))

    def clean(self):
        cleaned_data = super().clean()
        password = cleaned_data.get("new_password1")
        if self.reject_current and password and self.user.check_password(password):
            self.add_error(
                "new_password1",
                forms.ValidationError(
                    self.error_messages["same_as_current"], code="same_as_current"
                ),
            )
        return cleaned_data


class RoleForm(forms.Form):
    """The role an admin gives another account."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class AuditFilterForm(forms.Form):
    """Filters of the audit log page; every field is optional."""

    username = forms.CharField(
        label=_("Username contains"), required=False, max_length=150, strip=True
    )
    event_type = forms.ChoiceField(
        label=_("Event"), required=False, choices=[("", _("All events")), *EventType.choices]
    )
    date_from = forms.DateField(
        label=_("From (UTC)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("First day to show, as YYYY-MM-DD."),
    )
    date_to = forms.DateField(
        label=_("Until (UTC)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Last day to show, as YYYY-MM-DD."),
    )

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The last day must not be before the first day."))
        return data
