from django import forms
from django.contrib.auth.forms import UserCreationForm

from .models import User


class SignUpForm(UserCreationForm):
    email = forms.EmailField(help_text="For password resets and, later, build notifications.")

    class Meta:
        model = User
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("A fan with this email already exists. Log in instead?")
        return email


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="What it is for, e.g. “my script”.")
