from django.core.management.base import BaseCommand, CommandError, CommandParser

from orangefriday.accounts.actions import create_api_token
from orangefriday.accounts.models import Role, User


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
            user = User(username=username)
            user.set_unusable_password()
            user.save()
        if options["role"]:
            user.role = str(options["role"])
            user.is_staff = user.role == Role.ADMIN
            user.is_superuser = user.role == Role.ADMIN
            user.save(update_fields=["role", "is_staff", "is_superuser"])
        _, raw = create_api_token(user=user, name=str(options["name"]))
        self.stdout.write(raw)
