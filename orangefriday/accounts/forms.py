from datetime import timedelta

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from orangefriday.core.bots import HumanCheckMixin

from .models import User, check_username


class LockoutMessageMixin(AuthenticationForm):
    """A refused log-in says so, and when to try again, once the lockout has begun."""

    def clean(self) -> dict:
        try:
            return super().clean()
        except ValidationError:
            lock = getattr(self.request, "login_lock", None)
            if lock is not None:
                raise ValidationError(lock.message(), code="locked") from None
            raise


class LoginForm(LockoutMessageMixin, AuthenticationForm):
    pass


class AdminLoginForm(LockoutMessageMixin, AdminAuthenticationForm):
    pass


class SignUpForm(HumanCheckMixin, UserCreationForm):
    email = forms.EmailField(
        help_text="We send a link there to confirm it; also for password resets and news "
        "of what you follow."
    )

    class Meta:
        model = User
        fields = ("username", "email")

    def clean_username(self) -> str:
        username = super().clean_username()
        check_username(username)
        return username

    def clean_email(self) -> str:
        # Whether an address is registered is never said here (accounts.actions.sign_up
        # writes to the address instead).
        return self.cleaned_data["email"].strip()


EXPIRY_CHOICES = [("", "never"), ("7", "in 7 days"), ("30", "in 30 days"), ("90", "in 90 days")]


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="What it is for, e.g. “my script”.")
    expires = forms.ChoiceField(choices=EXPIRY_CHOICES, required=False, label="Expires")

    def expires_at(self):
        days = self.cleaned_data.get("expires")
        return timezone.now() + timedelta(days=int(days)) if days else None
