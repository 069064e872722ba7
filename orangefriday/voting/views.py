from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from orangefriday.accounts.models import fan_of
from orangefriday.board.forms import MergeForm
from orangefriday.board.models import Post
from orangefriday.core.forms import add_action_errors

from .actions import cast_vote, merge_posts, withdraw_vote


@login_required
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Vote (action=vote) or withdraw (action=withdraw). htmx gets the new button back;
    a browser without JavaScript is sent back to the page it came from."""
    withdrawing = request.POST.get("action") == "withdraw"
    error = None
    try:
        if withdrawing:
            post = withdraw_vote(fan=fan_of(request), post_id=pk)
        else:
            post = cast_vote(fan=fan_of(request), post_id=pk)
    except Post.DoesNotExist as missing:
        raise Http404("No such post.") from missing
    except ValidationError as refused:  # merged away (VoteRefused), or over the fan's limit
        post = get_object_or_404(Post, pk=pk)
        error = " ".join(refused.messages)
    if request.headers.get("HX-Request"):
        context = {"post": post, "voted": not withdrawing and error is None, "error": error}
        return render(request, "voting/vote_button.html", context)
    if error:
        messages.error(request, error)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = post.get_absolute_url()
    return redirect(target)


@login_required
@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge this post (a duplicate) into the original named in the form."""
    duplicate = get_object_or_404(Post.objects.select_related("product"), pk=pk)
    form = MergeForm(request.POST)
    if form.is_valid():
        original = Post.objects.filter(pk=form.cleaned_data["original"]).first()
        if original is None:
            form.add_error("original", "There is no such post.")
        else:
            try:
                merge_posts(
                    by=fan_of(request),
                    duplicate=duplicate,
                    original=original,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(
                    request, gettext("Merged into “%(original)s”.") % {"original": original.title}
                )
                return redirect(original)
    # The merge form sits on the post page; its errors travel there as messages.
    for problems in form.errors.values():
        for problem in problems:
            messages.error(request, gettext("Not merged: %(problem)s") % {"problem": problem})
    return redirect(f"{duplicate.get_absolute_url()}#merge")
