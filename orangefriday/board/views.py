from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from orangefriday.accounts.models import User, fan_of
from orangefriday.core import panels
from orangefriday.core.forms import add_action_errors
from orangefriday.core.images import image_response
from orangefriday.core.pagecache import (
    cached_for_visitors,
    keep_only_for,
    kept_for_fans,
    rendering_skeleton,
)
from orangefriday.core.paging import page_number, page_of
from orangefriday.core.text import render_markdown, visible_text
from orangefriday.notifications.following import set_following

from . import post_page
from .actions import (
    add_comment,
    change_status,
    create_post,
    delete_comment,
    delete_post,
    edit_comment,
    edit_post,
    remove_image,
)
from .error_pages import referring_path
from .forms import (
    CommentForm,
    EditCommentForm,
    EditPostForm,
    MergeForm,
    PostForm,
    PreviewForm,
    StatusForm,
)
from .logs import log_response
from .models import Comment, Kind, Post, PostImage, Product, Status, Visibility, visible_filter
from .permissions import can_moderate, can_read_log, can_see_post, is_engineer_of
from .queries import comment_threads, duplicate_ids, roadmap, timeline
from .ranked import BoardFilter, board_posts, explores, ranked_page, sort_label, sorts_for
from .reads import record_read
from .scoring import why_it_ranks
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
    """The post page; forms with errors are passed back in to be shown where they were.
    Rendered for all fans (board.post_page), what depends on the viewer is left as holes."""
    user = request.user
    duplicates = duplicate_ids(post)
    threads = comment_threads(post, duplicates)
    comments = [c for t in threads for c in (t.comment, *t.replies)]
    if rendering_skeleton(request) is None:
        viewer = post_page.viewer_parts(request, post, comments)
    else:
        keep_only_for(request, post_page.serves(post))
        post_page.leave_holes(request, post, comments)
        viewer = {}
    engineer = isinstance(user, User) and is_engineer_of(user, post.product)
    context = {
        "post": post,
        **viewer,
        "threads": threads,
        "timeline": timeline(post),
        # Merged duplicates leave every list: their links lead here, their titles are gone.
        "duplicates": len(duplicates),
        "why": why_it_ranks(post),
        "comment_form": (comment_form or CommentForm()).offering_mentions(post),
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


@kept_for_fans
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_or_404(pk)
    if post.merged_into is not None:  # a merged duplicate's link leads to its original
        return redirect(post.merged_into)
    if not can_see_post(request.user, post):
        return _tombstone(request, post)
    # On a page kept for all fans, each fan's read is counted when it is filled (post_page).
    if post.is_visible and rendering_skeleton(request) is None:
        fan_id = request.user.pk if request.user.is_authenticated else None
        record_read(post_id=post.pk, fan_id=fan_id)
    return _post_page(request, post)


def _tombstone(request: HttpRequest, post: Post) -> HttpResponse:
    """What a link to a post that is not shown leads to: a held post does not exist yet
    for others; a hidden or deleted one says so, and why (410 Gone)."""
    if post.visibility == Visibility.HELD:
        raise Http404("No such post.")
    return render(request, "board/post_gone.html", {"post": post}, status=410)


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
                images=form.image_uploads(),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _published(post))
            return redirect(post)
    status = 400 if form.errors else 200
    return render(request, "board/new_post.html", {"product": product, "form": form}, status=status)


def _published(post: Post) -> str:
    """What the post page tells its author right after posting: what happens next."""
    if post.visibility == Visibility.HELD:
        return _(
            "Your post is saved and waits for review: a moderator looks at it before "
            "other fans see it."
        )
    return _(
        "Your post is published. Fans can now find it and vote for it; every Monday the "
        "engineers plan the week's build from the top of the board."
    )


@login_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """A post's or comment's body as its page will show it (the same rendering as the
    actions'), saved nowhere: an htmx fragment, or a page of its own without JavaScript."""
    form = PreviewForm(request.POST)
    html, error = "", ""
    if form.is_valid():
        try:
            html = render_markdown(visible_text(form.cleaned_data["body"], field="body"))
        except ValidationError as invalid:
            error = " ".join(invalid.messages)
    else:
        error = " ".join(str(message) for message in form.errors["body"])
    context = {"html": html, "error": error, "back": referring_path(request)}
    if request.headers.get("HX-Request"):
        return render(request, "board/_preview.html", context)
    return render(request, "board/preview.html", context, status=400 if error else 200)


def similar(request: HttpRequest, slug: str) -> HttpResponse:
    """The posts that look like the title a fan is typing (an htmx fragment)."""
    product = get_object_or_404(Product, slug=slug)
    title = request.GET.get("title", "")[:200]
    posts = similar_posts(product_id=product.pk, title=title)
    return render(request, "board/similar.html", {"posts": posts})


def post_image(request: HttpRequest, pk: int, image_pk: int) -> FileResponse:
    """One of a post's images, to whoever may see the post (its page's rule): a hidden or
    deleted post's images are not sent to others."""
    image = get_object_or_404(
        PostImage.objects.select_related("post__product"), pk=image_pk, post_id=pk
    )
    # A row whose file is gone (a restored backup without its images) is not found either.
    if not can_see_post(request.user, image.post) or not image.file.storage.exists(image.file.name):
        raise Http404("No such image.")
    # Never kept by a shared cache: a post hidden later must take its images with it.
    return image_response(image.file, private=True)


@login_required
@require_POST
def remove_image_page(request: HttpRequest, pk: int, image_pk: int) -> HttpResponse:
    post = _own_post_or_404(request, pk)
    image = get_object_or_404(post.images, pk=image_pk)
    try:
        remove_image(by=fan_of(request), image=image)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The image was removed from your post."))
    return redirect(f"{post.get_absolute_url()}#images")


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
            messages.success(request, _("Status updated; followers are being told."))
            return redirect(f"{post.get_absolute_url()}#timeline")
    return _post_page(request, post, status_form=form, status=400)


def roadmap_page(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product, slug=slug)
    plan = roadmap(product)
    columns = [
        (_("Planned"), plan.planned, "planned"),
        (_("In progress"), plan.in_progress, "in_progress"),
        (_("Recently shipped"), plan.shipped, "shipped"),
    ]
    return render(request, "board/roadmap.html", {"product": product, "columns": columns})


def _choice(value: str | None, allowed: list[str]) -> str | None:
    return value if value in allowed else None


def _with_row_panels(request: HttpRequest, posts: list[Post]) -> None:
    """Each row's panels (the vote button), loaded once for the whole list; on a page kept
    for all fans they are holes, loaded when filled (board.rows)."""
    if rendering_skeleton(request) is not None:
        return
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
        featured=params.get("featured") == "1",
    )
    page = ranked_page(board_posts(board), explore=explores(board), number=page_number(request))
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
        "sort_choices": [(sort, sort_label(sort)) for sort in sorts],
        # A sort the fan picked is kept when they search; otherwise a search is by relevance.
        "sort_chosen": chosen_sort is not None,
        "kinds": Kind.choices,
        "statuses": Status.choices,
        "query_without_page": query.urlencode(),
    }


@cached_for_visitors
def home(request: HttpRequest) -> HttpResponse:
    shown = visible_filter("posts")
    products = Product.objects.annotate(post_count=Count("posts", filter=shown)).order_by("name")
    hot = page_of(board_posts(BoardFilter(sort="hot")), 1, size=10)
    _with_row_panels(request, hot.items)
    return render(request, "board/home.html", {"products": products, "hot": hot})


@cached_for_visitors
@kept_for_fans
def board_page(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product, slug=slug)
    context = _ranked_page(request, product)
    # Pinned posts (the week's release announcement) head the unfiltered first page, and
    # are then not repeated in the ranked list below them.
    pinned: list[Post] = []
    if not (set(request.GET) - {"sort"}):
        pinned_posts = (
            product.posts.visible().filter(pinned=True).select_related("author", "product")
        )
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


def _own_post_or_404(request: HttpRequest, pk: int) -> Post:
    post = _post_or_404(pk)
    if post.author_id != request.user.pk:
        raise PermissionDenied(_("Only the fan who wrote this post changes it."))
    return post


@login_required
def edit_post_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The author edits their post; the version before is kept in its history."""
    post = _own_post_or_404(request, pk)
    initial = {
        "kind": post.kind,
        "title": post.title,
        "body": post.body,
        "category": post.category,
        "tags": ", ".join(tag.name for tag in post.tags.all()),
    }
    form = EditPostForm(request.POST or None, product=post.product, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            edit_post(
                by=fan_of(request),
                post=post,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                category=form.cleaned_data["category"],
                tags=form.tag_names,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect(post)
    status = 400 if form.errors else 200
    context = {"post": post, "form": form}
    return render(request, "board/edit_post.html", context, status=status)


@login_required
@require_POST
def delete_post_page(request: HttpRequest, pk: int) -> HttpResponse:
    post = _own_post_or_404(request, pk)
    try:
        delete_post(by=fan_of(request), post=post)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(post)
    messages.success(request, _("Your post was deleted."))
    return redirect(post.product)


def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    """A post's earlier versions, newest first (as its page, only if it is shown)."""
    post = _post_or_404(pk)
    if not post.is_visible and not can_see_post(request.user, post):
        raise Http404("No such post.")
    revisions = post.revisions.select_related("by")
    return render(request, "board/history.html", {"post": post, "revisions": revisions})


def _own_comment_or_404(request: HttpRequest, pk: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("post", "post__product"), pk=pk)
    if comment.author_id != request.user.pk:
        raise PermissionDenied(_("Only the fan who wrote this comment changes it."))
    return comment


@login_required
def edit_comment_page(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment_or_404(request, pk)
    form = EditCommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            edit_comment(by=fan_of(request), comment=comment, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect(f"{comment.post.get_absolute_url()}#comment-{comment.pk}")
    status = 400 if form.errors else 200
    context = {"comment": comment, "post": comment.post, "form": form}
    return render(request, "board/edit_comment.html", context, status=status)


@login_required
@require_POST
def delete_comment_page(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment_or_404(request, pk)
    try:
        delete_comment(by=fan_of(request), comment=comment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{comment.post.get_absolute_url()}#comment-{comment.pk}")


def comment_history(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("post", "post__product"), pk=pk)
    if not comment.post.is_visible and not can_see_post(request.user, comment.post):
        raise Http404("No such comment.")
    context = {
        "post": comment.post,
        "comment": comment,
        "revisions": comment.revisions.select_related("by"),
    }
    return render(request, "board/history.html", context)
