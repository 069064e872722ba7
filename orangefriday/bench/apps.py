from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "orangefriday.bench"
    verbose_name = "Benchmarks"
