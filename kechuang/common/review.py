"""Review kit: a multi-step review that returns a record to its owner with comments, and shows what
changed on resubmission. R&D reports use it; challenges (揭榜挂帅), applications and contract
registrations declare the same pieces.

A module declares:

* a comment model on :class:`ReviewCommentBase` with a foreign key to the reviewed item (its name in
  ``item_field``, the reverse name ``comments``) and a reply model on :class:`CommentReplyBase` with
  ``comment = ForeignKey(<comment model>, related_name="replies")``;
* on the item: ``return_count`` (int), ``returned_snapshot`` (JSON, nullable), ``editable`` (bool: the
  item is back with its owner), a django-fsm ``status`` with a ``return_report`` transition guarded by
  :func:`kechuang.common.access.may_return`, and a ``"reply"`` rule in
  :data:`kechuang.common.access.STEP_RULES`;
* one :class:`Review` naming those models and three functions: what to snapshot, how to flatten a
  snapshot into ``field key → shown value``, and the label of a field key.

Then :meth:`Review.return_with_comments`, :meth:`Review.advance`, :meth:`Review.reply`,
:meth:`Review.labelled_comments`, :meth:`Review.open_by_field` and :meth:`Review.changes_since_return`
are the whole review: page and API call the module's services, which call these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from kechuang.common.access import RETURN_STEP as RETURN_STEP  # re-exported: the review kit's return step
from kechuang.common.access import may_step
from kechuang.common.workflow import run_transition

COMMENT_MAX = 500
"""Characters of one reviewer's comment (the column holds 500)."""
REPLY_MAX = 1000
"""Characters of one reply (the column holds 1000)."""


#: The replies of a comment and their authors (the concrete reply model's ``related_name``; the type
#: checker sees only the abstract base, which has no such relation).
REPLIES = ("replies__author",)

class ReviewCommentBase(models.Model):
    """A reviewer's comment on an item; ``field`` names the item's field it is about ("" for the item as
    a whole; a row cell as ``rows[i].column``). ``round`` is the item's return count when it was written;
    ``returned`` marks the comments given with a return (the ones the owner must address)."""

    item_field: ClassVar[str] = "item"
    field_label: str  # not a column: set on the comments :meth:`ReviewKit.labelled_comments` returns
    """Name of the concrete model's foreign key to the reviewed item."""

    field = models.CharField("指标", max_length=64, blank=True)
    text = models.CharField("意见", max_length=COMMENT_MAX)
    round = models.PositiveSmallIntegerField("退回轮次", default=0)
    returned = models.BooleanField("随退回提出", default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, on_delete=models.SET_NULL,
                               related_name="+")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def item(self) -> Any:
        """The reviewed item."""
        return getattr(self, self.item_field)

    @property
    def is_open(self) -> bool:
        """A comment made with the item's latest return, while the item is back with its owner: it is
        shown next to its field on the edit page until the item is submitted again."""
        item = self.item
        return self.returned and self.round == item.return_count and item.editable


class CommentReplyBase(models.Model):
    """The owner's answer to a reviewer's comment (text). Replies are never edited or deleted: a later
    reply adds to the thread, so the history stays."""

    text = models.CharField("答复", max_length=REPLY_MAX)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, on_delete=models.SET_NULL,
                               related_name="+")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text


class Change(NamedTuple):
    """One field whose value differs since the last return: its label and the values as shown
    (normalised text, None for blank); a plain triple, so templates unpack ``label, old, new``."""

    label: str
    old: str | None
    new: str | None


def _norm(value: Any) -> str | None:
    """A value for comparison and display: numbers without trailing zeros or exponent (1.50 and 1.5 are
    the same value), None and "" as None, anything else as text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return str(value)
    try:
        return format(Decimal(str(value)).normalize(), "f")
    except ArithmeticError:
        return str(value)


@dataclass(frozen=True)
class Review:
    """One module's review declaration.

    Attributes:
        comment_model: the concrete :class:`ReviewCommentBase`.
        reply_model: the concrete :class:`CommentReplyBase`.
        snapshot: item → the content to keep at a return (JSON-able), e.g. ``{"firm", "projects"}``.
        flatten: (item, snapshot) → ordered ``field key → shown value`` (every known field of the
            content, None when blank), in the units the pages show.
        label: (item, field key) → the field's label (e.g. 项目 2 项目名称).
        known_field: (item, field key) → whether a comment may name it ("" is always allowed).
    """

    comment_model: type[ReviewCommentBase]
    reply_model: type[CommentReplyBase]
    snapshot: Callable[[Any], Any]
    flatten: Callable[[Any, Any], Mapping[str, Any]]
    label: Callable[[Any, str], str]
    known_field: Callable[[Any, str], bool]

    # ----------------------------------------------------------------------------------------- writes

    @transaction.atomic
    def return_with_comments(self, item: Any, user: Any, comments: Iterable[tuple[str, str]]) -> Any:
        """Return ``item`` to its owner with comments ``(field, text)`` (field "" for the whole item):
        runs the return transition (permission: :func:`kechuang.common.access.may_return`), counts the
        round, keeps the content as it is now (for :meth:`changes_since_return`) and stores the comments
        of this round.

        Raises:
            ValidationError: no comment, or a field the item does not have (Chinese message).
            PermissionDenied: not allowed for this user or state.
        """
        given = [(f.strip(), t.strip()) for f, t in comments if t and t.strip()]
        if not given:
            raise ValidationError("退回时须填写至少一条意见")
        for field, _ in given:
            if field and not self.known_field(item, field):
                raise ValidationError(f"未知的指标：{field}")
        # the bookkeeping rides on the transition's own save: one history row per return, not two
        item.return_count += 1
        item.returned_snapshot = self.snapshot(item)
        run_transition(item, RETURN_STEP, user, given[0][1][:60])
        self.comment_model._default_manager.bulk_create(
            self.comment_model(**{self.comment_model.item_field: item}, field=f, text=t[:COMMENT_MAX],
                               round=item.return_count, returned=True, author=user) for f, t in given)
        return item

    @transaction.atomic
    def advance(self, item: Any, user: Any, step: str, comment: str = "") -> Any:
        """Pass ``item`` on by the transition ``step``, with an optional comment kept on the item (not
        one the owner must address).

        Raises:
            PermissionDenied: not allowed for this user or state.
        """
        comment = (comment or "").strip()
        if comment:
            self.comment_model._default_manager.create(**{self.comment_model.item_field: item}, text=comment[:COMMENT_MAX],
                                              round=item.return_count, author=user)
        return run_transition(item, step, user, comment[:60])

    @transaction.atomic
    def reply(self, comment: ReviewCommentBase, user: Any, text: str) -> CommentReplyBase:
        """Answer ``comment`` with text; who and when are stored, and earlier replies stay (each reply is
        a new row). Who may: the ``"reply"`` rule of the item in ``STEP_RULES``.

        Raises:
            ValidationError: empty text, or longer than :data:`REPLY_MAX` characters (Chinese message).
            PermissionDenied: the user may not answer, or the item is not with its owner.
        """
        item = comment.item
        if not may_step(user, item, "reply"):
            raise PermissionDenied(f"状态为“{item.get_status_display()}”，不能答复审核意见"
                                   if not item.editable else "无权答复审核意见")
        text = (text or "").strip()
        if not text:
            raise ValidationError("答复内容不能为空")
        if len(text) > REPLY_MAX:
            raise ValidationError(f"答复最多 {REPLY_MAX} 字（当前 {len(text)} 字）")
        fields: dict[str, Any] = {"comment": comment, "text": text, "author": user}  # the concrete model's
        reply = self.reply_model(**fields)
        record: Any = reply
        record._history_user = user  # simple_history's author of the new row
        reply.save()
        return reply

    # ----------------------------------------------------------------------------------------- reads

    def may_reply(self, item: Any, user: Any) -> bool:
        """Whether ``user`` may answer the comments of ``item`` now."""
        return bool(item.pk) and may_step(user, item, "reply")

    def labelled_comments(self, item: Any) -> list[ReviewCommentBase]:
        """The item's comments, oldest first, with their replies and authors, each with ``field_label``
        (:attr:`label`)."""
        if not item.pk:
            return []
        comments = list(self.comment_model._default_manager.filter(**{self.comment_model.item_field: item})
                        .select_related("author").prefetch_related(*REPLIES))
        for c in comments:
            setattr(c, self.comment_model.item_field, item)
            c.field_label = self.label(item, c.field) if c.field else ""
        return comments

    @staticmethod
    def open_by_field(comments: Iterable[ReviewCommentBase]) -> dict[str, list[ReviewCommentBase]]:
        """The open comments (:attr:`ReviewCommentBase.is_open`) by field key ("" for the whole item)."""
        by_field: dict[str, list[ReviewCommentBase]] = {}
        for c in comments:
            if c.is_open:
                by_field.setdefault(c.field, []).append(c)
        return by_field

    def changes_since_return(self, item: Any) -> list[Change]:
        """What changed since the item was last returned, compared by value (1.50 = 1.5; blank = absent),
        in the order of the fields; [] when it was never returned."""
        if not item.returned_snapshot:
            return []
        old = {k: _norm(v) for k, v in self.flatten(item, item.returned_snapshot).items()}
        new = {k: _norm(v) for k, v in self.flatten(item, self.snapshot(item)).items()}
        keys = list(old) + [k for k in new if k not in old]
        return [Change(self.label(item, k), old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]
