from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "orangefriday.demo"
    verbose_name = "Demo community"
