from django.contrib import admin

from .models import Choice, Entry, FoundingFan, Programme, Question, Tester


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 3


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "programme", "position")
    inlines = [ChoiceInline]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 1
    show_change_link = True


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("product", "places", "pass_mark", "is_open")
    inlines = [QuestionInline]


@admin.register(Tester)
class TesterAdmin(admin.ModelAdmin):
    list_display = ("fan", "programme", "status", "joined_at", "ended_at", "locked_until")
    list_filter = ("status", "programme")
    raw_id_fields = ("fan",)


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ("fan", "product", "points", "reason", "created_at")
    list_filter = ("reason",)
    raw_id_fields = ("fan",)


@admin.register(FoundingFan)
class FoundingFanAdmin(admin.ModelAdmin):
    list_display = ("fan", "product", "since", "chosen_by")
    raw_id_fields = ("fan", "chosen_by")
