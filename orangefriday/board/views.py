from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from orangefriday.accounts.models import User, fan_of
from orangefriday.core import panels
from orangefriday.core.forms import add_action_errors
from orangefriday.core.pagecache import cached_for_visitors
from orangefriday.core.paging import page_number, page_of
from orangefriday.notifications.following import set_following
from orangefriday.notifications.queries import is_following

from .actions import add_comment, change_status, create_post
from .forms import CommentForm, MergeForm, PostForm, StatusForm
from .logs import log_response
from .models import Kind, Post, Product, Status
from .permissions import can_moderate, can_read_log, is_engineer_of
from .queries import comment_threads, roadmap, timeline
from .ranked import BoardFilter, board_posts, sorts_for
from .reads import record_read
from .search import highlight, similar_posts


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
        "following": is_following(fan_id=user.pk, post_id=post.pk),
        "vote_panels": panels.for_object("post.vote", request, post),
        "detail_panels": panels.for_object("post.detail", request, post),
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


def _choice(value: str | None, allowed: list[str]) -> str | None:
    return value if value in allowed else None


def _with_row_panels(request: HttpRequest, posts: list[Post]) -> None:
    """Each row's panels (the vote button), loaded once for the whole list."""
    shown = panels.for_rows("post.row", request, posts)
    for post in posts:
        post.row_panels = shown[post.pk]  # type: ignore[attr-defined]


def _ranked_page(request: HttpRequest, product: Product | None) -> dict:
    """Read the board's sort, filters and page from the query string; unknown values are
    ignored rather than refused, so a stale link still shows a board."""
    params = request.GET
    q = params.get("q", "").strip()[:200] or None
    sorts = sorts_for(q)
    chosen_sort = _choice(params.get("sort"), sorts)
    category = None
    if product is not None and params.get("category"):
        category = product.categories.filter(slug=params["category"]).first()
    board = BoardFilter(
        product_id=product.pk if product else None,
        sort=chosen_sort or sorts[0],
        kind=_choice(params.get("kind"), Kind.values),
        status=_choice(params.get("status"), Status.values),
        category_id=category.pk if category else None,
        tag=params.get("tag", "").strip()[:40] or None,
        q=q,
    )
    page = page_of(board_posts(board), page_number(request))
    _with_row_panels(request, page.items)
    if q:
        highlight(page.items, q)
    query = params.copy()
    query.pop("page", None)
    return {
        "board": board,
        "category": category,
        "page": page,
        "sorts": sorts,
        # A sort the fan picked is kept when they search; otherwise a search is by relevance.
        "sort_chosen": chosen_sort is not None,
        "kinds": Kind.choices,
        "statuses": Status.choices,
        "query_without_page": query.urlencode(),
    }


@cached_for_visitors
def home(request: HttpRequest) -> HttpResponse:
    products = Product.objects.annotate(post_count=Count("posts")).order_by("name")
    hot = page_of(board_posts(BoardFilter(sort="hot")), 1, size=10)
    _with_row_panels(request, hot.items)
    return render(request, "board/home.html", {"products": products, "hot": hot})


@cached_for_visitors
def board_page(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product, slug=slug)
    context = _ranked_page(request, product)
    # Pinned posts (the week's release announcement) head the unfiltered first page, and
    # are then not repeated in the ranked list below them.
    pinned: list[Post] = []
    if not (set(request.GET) - {"sort"}):
        pinned_posts = product.posts.filter(pinned=True).select_related("author", "product")
        pinned = list(pinned_posts.order_by("-created_at")[:3])
        page = context["page"]
        page.items[:] = [post for post in page.items if not post.pinned]
    context.update(product=product, categories=product.categories.all(), pinned=pinned)
    return render(request, "board/board.html", context)


def search(request: HttpRequest) -> HttpResponse:
    context = _ranked_page(request, None)
    context["searched"] = bool(context["board"].q)
    return render(request, "board/search.html", context)


@login_required
@require_POST
def follow(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow (following=1) or unfollow (following=0) a post. htmx gets the new button back;
    a browser without JavaScript returns to the post."""
    post = get_object_or_404(Post, pk=pk)
    following = request.POST.get("following") == "1"
    set_following(fan_id=fan_of(request).pk, post_id=post.pk, following=following)
    if request.headers.get("HX-Request"):
        return render(request, "board/_follow.html", {"post": post, "following": following})
    return redirect(post)
