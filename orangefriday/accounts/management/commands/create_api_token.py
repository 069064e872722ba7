from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from orangefriday.accounts.actions import create_api_token
from orangefriday.accounts.models import Role, User, check_username


def _valid_username(username: str) -> None:
    """The same rules as sign-up: Django's characters and length, and something visible."""
    field = User._meta.get_field("username")
    try:
        field.clean(username, None)
        check_username(username)
    except ValidationError as error:
        raise CommandError(f"Not a valid username: {' '.join(error.messages)}") from None


class Command(BaseCommand):
    help = "Create a personal API token for USERNAME and print it once (only its hash is kept)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--create-user", action="store_true", help="Create the fan if absent")
        parser.add_argument("--role", choices=Role.values, help="Set the fan's role")
        parser.add_argument("--name", default="cli", help="A label for the token")

    def handle(self, *args: object, **options: object) -> None:
        username = str(options["username"])
        user = User.objects.filter(username=username).first()
        if user is None:
            if not options["create_user"]:
                raise CommandError(f"No fan named {username!r}; add --create-user to create one.")
            _valid_username(username)
            # Made by whoever runs the server's shell: no address to confirm.
            user = User(username=username, email_verified_at=timezone.now())
            user.set_unusable_password()
            user.save()
        if options["role"]:
            user.role = str(options["role"])
            user.is_staff = user.role == Role.ADMIN
            user.is_superuser = user.role == Role.ADMIN
            user.save(update_fields=["role", "is_staff", "is_superuser"])
        # The server's own shell: no fan limit applies.
        _, raw = create_api_token(user=user, name=str(options["name"]), limited=False)
        self.stdout.write(raw)
