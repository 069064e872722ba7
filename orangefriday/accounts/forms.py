from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orangefriday.core.bots import HumanCheckMixin

from .models import DISPLAY_NAME_MAX_LENGTH, User, check_username, time_zones


class LockoutMessageMixin(AuthenticationForm):
    """A refused log-in says so, and when to try again, once the lockout has begun."""

    def clean(self) -> dict:
        try:
            return super().clean()
        except ValidationError:
            lock = getattr(self.request, "login_lock", None)
            if lock is not None:
                raise ValidationError(lock.message(), code="locked") from None
            refusal = getattr(self.request, "login_refusal", None)
            if refusal is not None:  # suspended: the fan sees why and until when
                raise ValidationError(refusal, code="suspended") from None
            raise


class LoginForm(LockoutMessageMixin, AuthenticationForm):
    pass


class LockedPasswordChangeForm(PasswordChangeForm):
    """Changing the password asks for the old one through `authenticate()`, so the log-in
    lockout counts its wrong guesses and refuses it while the account is locked: a stolen
    session cannot guess the password here (issue 10 had left this form outside)."""

    def __init__(self, user: User, *args: object, request: HttpRequest, **kwargs: object):
        super().__init__(user, *args, **kwargs)  # type: ignore[arg-type]
        self.request = request

    def clean_old_password(self) -> str:
        old = self.cleaned_data["old_password"]
        if authenticate(self.request, username=self.user.get_username(), password=old) is None:
            lock = getattr(self.request, "login_lock", None)
            if lock is not None:
                raise ValidationError(lock.message(), code="locked")
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old


class AdminLoginForm(LockoutMessageMixin, AdminAuthenticationForm):
    pass


class SignUpForm(HumanCheckMixin, UserCreationForm):
    email = forms.EmailField(
        label=_("Email"),
        help_text=_(
            "We send a link there to confirm it; also for password resets and news of what "
            "you follow."
        ),
    )

    # Filled by accounts/time_zone.js with the browser's zone; a wrong guess is no error.
    time_zone = forms.CharField(
        required=False, widget=forms.HiddenInput(attrs={"data-guess-zone": ""})
    )

    class Meta:
        model = User
        fields = ("username", "email")

    def clean_time_zone(self) -> str:
        zone = self.cleaned_data["time_zone"]
        return zone if zone in time_zones() else ""

    def clean_username(self) -> str:
        username = super().clean_username()
        check_username(username)
        return username

    def clean_email(self) -> str:
        # Whether an address is registered is never said here (accounts.actions.sign_up
        # writes to the address instead).
        return self.cleaned_data["email"].strip()


EXPIRY_CHOICES = [
    ("", _("never")),
    ("7", _("in 7 days")),
    ("30", _("in 30 days")),
    ("90", _("in 90 days")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=80, help_text=_("What it is for, e.g. “my script”.")
    )
    expires = forms.ChoiceField(choices=EXPIRY_CHOICES, required=False, label=_("Expires"))

    def expires_at(self):
        days = self.cleaned_data.get("expires")
        return timezone.now() + timedelta(days=int(days)) if days else None


class PreferencesForm(forms.Form):
    """A fan's language and time zone (settings page); the header's switcher sets the
    language alone."""

    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("The browser's language")), *settings.LANGUAGES],
        required=False,
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("Every time on the site is shown in this zone."),
        required=False,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [("", _("UTC (not chosen)")), *((zone, zone) for zone in time_zones())]
        self.fields["time_zone"].choices = choices  # type: ignore[attr-defined]


IMAGE_TYPES = "image/jpeg,image/png,image/webp,image/gif"  # what core.images takes in


class ProfileForm(forms.Form):
    """What other fans see of you: the display name and the avatar (settings page)."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=DISPLAY_NAME_MAX_LENGTH,
        required=False,
        help_text=_(
            "Shown instead of your username on your posts, comments and profile; "
            "leave it empty to show your username. Your @username stays your address."
        ),
    )
    avatar = forms.FileField(
        label=_("Avatar"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_TYPES}),
        help_text=_("A JPEG, PNG, WebP or GIF image; it is shrunk to 256 pixels."),
    )
    remove_avatar = forms.BooleanField(label=_("Remove my avatar"), required=False)


class EmailChangeForm(forms.Form):
    """A new address, and the password again: a stolen session cannot take the account."""

    email = forms.CharField(
        label=_("New e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link there; your address changes when you open it."),
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class DeleteAccountForm(forms.Form):
    """Leaving: what becomes of the fan's posts and comments, and the password again."""

    content = forms.ChoiceField(
        label=_("Your posts and comments"),
        choices=[
            ("keep", _("Keep them, signed “a former fan”")),
            ("remove", _("Remove them (each leaves a “deleted by its author” note)")),
        ],
        widget=forms.RadioSelect,
        initial="keep",
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
