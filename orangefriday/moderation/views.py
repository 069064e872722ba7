from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from orangefriday.accounts.models import User, fan_of
from orangefriday.board.models import Comment, Post
from orangefriday.core.forms import add_action_errors
from orangefriday.core.paging import page_number, page_of

from . import actions
from .forms import DecisionForm, FlagForm, SanctionForm
from .models import Review
from .permissions import can_sanction, sees_queue
from .queries import author_history, log, queue_for


def _refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


def _flag(request: HttpRequest, post: Post, comment: Comment | None) -> HttpResponse:
    back = post.get_absolute_url() + (f"#comment-{comment.pk}" if comment else "")
    form = FlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, _refusal(ValidationError(form.errors.get_json_data())))
        return redirect(back)
    number = form.cleaned_data["original"]
    original = Post.objects.filter(pk=number).first() if number else None
    try:
        actions.flag_item(
            flagger=fan_of(request),
            post=post,
            comment=comment,
            reason=form.cleaned_data["reason"],
            text=form.cleaned_data["text"],
            original=original,
        )
    except ValidationError as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(request, _("Thank you: moderators will look at it."))
    return redirect(back)


@login_required
@require_POST
def flag_post(request: HttpRequest, pk: int) -> HttpResponse:
    return _flag(request, get_object_or_404(Post, pk=pk), None)


@login_required
@require_POST
def flag_comment(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("post"), pk=pk)
    return _flag(request, comment.post, comment)


def _queue_page(request: HttpRequest, forms: dict[int, DecisionForm], status: int = 200):
    user = fan_of(request)
    if not sees_queue(user):
        raise PermissionDenied(_("The queue is for moderators and engineers."))
    page = page_of(queue_for(user), page_number(request))
    history = author_history([review.item.author_id for review in page.items])
    for review in page.items:
        review.form = forms.get(review.pk) or DecisionForm()  # type: ignore[attr-defined]
        review.history = history.get(review.item.author_id)  # type: ignore[attr-defined]
    context = {"page": page, "can_sanction": can_sanction(user)}
    return render(request, "moderation/queue.html", context, status=status)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    return _queue_page(request, {})


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(Review.objects.select_related("product", "post", "comment"), pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        number = form.cleaned_data["original"]
        try:
            actions.decide(
                by=fan_of(request),
                review=review,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                original=Post.objects.filter(pk=number).first() if number else None,
                until=form.cleaned_data["until"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Decided."))
            return redirect("moderation:queue")
    return _queue_page(request, {review.pk: form}, status=400)


@login_required
@require_POST
def restore(request: HttpRequest, pk: int) -> HttpResponse:
    """Restore a hidden post, or (with `comment`) one of its comments."""
    post = get_object_or_404(Post.objects.select_related("product"), pk=pk)
    comment = post.comments.filter(pk=request.POST.get("comment") or 0).first()
    try:
        actions.restore(by=fan_of(request), post=post, comment=comment)
    except ValidationError as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(request, _("Restored."))
    return redirect(post)


@login_required
@require_POST
def feature(request: HttpRequest, pk: int) -> HttpResponse:
    """Feature a post (featured=1) or stop featuring it (featured=0)."""
    post = get_object_or_404(Post.objects.select_related("product"), pk=pk)
    featured = request.POST.get("featured") == "1"
    try:
        actions.feature(by=fan_of(request), post=post, featured=featured)
    except ValidationError as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(request, _("Featured.") if featured else _("No longer featured."))
    return redirect(post)


@login_required
@require_POST
def sanction(request: HttpRequest, username: str) -> HttpResponse:
    """A moderator's decision on a fan, from their profile."""
    fan = get_object_or_404(User, username=username)
    form = SanctionForm(request.POST)
    by = fan_of(request)
    if not form.is_valid():
        messages.error(request, _refusal(ValidationError(form.errors.get_json_data())))
        return redirect("accounts:profile", username)
    data = form.cleaned_data
    what, until, reason = data["what"], data["until"], data["reason"]
    try:
        if what in ("silence", "block"):
            actions.silence(
                by=by, fan=fan, until=until, reason=reason, hide_content=what == "block"
            )
        elif what == "suspend":
            actions.suspend(by=by, fan=fan, until=until, reason=reason)
        elif what == "unsilence":
            actions.lift_silence(by=by, fan=fan)
        elif what == "unsuspend":
            actions.lift_suspension(by=by, fan=fan)
        else:
            actions.set_leader(by=by, fan=fan, leader=what == "leader")
    except ValidationError as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(request, _("Done; it is in the moderation log."))
    return redirect("accounts:profile", username)


@login_required
def log_page(request: HttpRequest) -> HttpResponse:
    if not can_sanction(request.user):
        raise PermissionDenied(_("The moderation log is for moderators."))
    page = page_of(log(), page_number(request))
    return render(request, "moderation/log.html", {"page": page})


def trust_page(request: HttpRequest) -> HttpResponse:
    """How trust works: every level's requirements, read from the settings."""
    names = [name for name in dir(settings) if name.startswith(("TRUST_", "MODERATION_"))]
    context = {"t": {name: getattr(settings, name) for name in names}}
    return render(request, "moderation/trust.html", context)
