from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from orangefriday.accounts.models import User, fan_of
from orangefriday.core.forms import add_action_errors

from .actions import add_comment, change_status, create_post
from .forms import CommentForm, MergeForm, PostForm, StatusForm
from .logs import log_response
from .models import Post, Product
from .permissions import can_moderate, can_read_log, is_engineer_of
from .queries import comment_threads, roadmap, timeline
from .reads import record_read
from .search import similar_posts


def _post_page(
    request: HttpRequest,
    post: Post,
    *,
    comment_form: CommentForm | None = None,
    status_form: StatusForm | None = None,
    merge_form: MergeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The post page; forms with errors are passed back in to be shown where they were."""
    user = request.user
    engineer = isinstance(user, User) and is_engineer_of(user, post.product)
    context = {
        "post": post,
        "engineer": engineer,
        "can_read_log": can_read_log(user, post),
        "voted": user.is_authenticated and post.votes.filter(fan_id=user.pk).exists(),
        "threads": comment_threads(post),
        "timeline": timeline(post),
        "duplicates": post.duplicates.all(),
        "comment_form": comment_form or CommentForm(),
        "status_form": (status_form or StatusForm(initial={"status": post.status}))
        if engineer
        else None,
        "merge_form": (merge_form or MergeForm())
        if isinstance(user, User) and can_moderate(user, post.product) and post.accepts_votes
        else None,
    }
    return render(request, "board/post_detail.html", context, status=status)


def _post_or_404(pk: int) -> Post:
    return get_object_or_404(
        Post.objects.select_related(
            "product", "author", "category", "merged_into", "found_in_build"
        ).prefetch_related("tags"),
        pk=pk,
    )


def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_or_404(pk)
    record_read(post_id=post.pk, fan_id=request.user.pk if request.user.is_authenticated else None)
    return _post_page(request, post)


@login_required
def new_post(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product, slug=slug)
    # A link such as "report a bug in this build" may choose the kind and build.
    initial = {key: request.GET[key] for key in ("kind", "found_in_build") if key in request.GET}
    form = PostForm(request.POST or None, request.FILES or None, product=product, initial=initial)
    if request.method == "POST" and form.is_valid():
        build = form.cleaned_data["found_in_build"]
        try:
            post = create_post(
                author=fan_of(request),
                product=product,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                category=form.cleaned_data["category"],
                tags=form.tag_names,
                found_in_build_id=build.pk if build else None,
                device=form.cleaned_data["device"],
                log=form.cleaned_data["log"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect(post)
    status = 400 if form.errors else 200
    return render(request, "board/new_post.html", {"product": product, "form": form}, status=status)


def similar(request: HttpRequest, slug: str) -> HttpResponse:
    """The posts that look like the title a fan is typing (an htmx fragment)."""
    product = get_object_or_404(Product, slug=slug)
    title = request.GET.get("title", "")[:200]
    posts = similar_posts(product_id=product.pk, title=title)
    return render(request, "board/similar.html", {"posts": posts})


@login_required
def post_log(request: HttpRequest, pk: int) -> FileResponse:
    """A bug's log, for its reporter and the product's engineers only."""
    post = _post_or_404(pk)
    if not post.log:
        raise Http404("This post has no log.")
    if not can_read_log(request.user, post):
        raise PermissionDenied("Only the reporter and the product's engineers read a bug's log.")
    return log_response(post)


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_or_404(pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = post.comments.filter(pk=form.cleaned_data["parent"]).first()
        try:
            created = add_comment(
                author=fan_of(request), post=post, body=form.cleaned_data["body"], parent=parent
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect(f"{post.get_absolute_url()}#comment-{created.pk}")
    return _post_page(request, post, comment_form=form, status=400)


@login_required
@require_POST
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """An engineer changes the status, with an optional official response."""
    post = _post_or_404(pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            change_status(
                by=fan_of(request),
                post=post,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, "Status updated; followers are being told.")
            return redirect(f"{post.get_absolute_url()}#timeline")
    return _post_page(request, post, status_form=form, status=400)


def roadmap_page(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product, slug=slug)
    plan = roadmap(product)
    columns = [
        ("Planned", plan.planned, "planned"),
        ("In progress", plan.in_progress, "in_progress"),
        ("Recently shipped", plan.shipped, "shipped"),
    ]
    return render(request, "board/roadmap.html", {"product": product, "columns": columns})
