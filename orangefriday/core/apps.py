from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "orangefriday.core"

    def ready(self) -> None:
        from .converters import register

        # Before any app's URLs are read: they use <id:pk>.
        register()
