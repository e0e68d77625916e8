"""SQLAlchemy 2.0 ORM repository for blog posts."""

from __future__ import annotations

from sqlalchemy import String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    """Declarative base for the models."""


class Post(Base):
    """A blog post."""

    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    published: Mapped[bool] = mapped_column(default=False)


def get_by_slug(session: Session, slug: str) -> Post | None:
    """The post with this slug."""
    return session.execute(select(Post).where(Post.slug == slug)).scalar_one_or_none()


def search(session: Session, term: str, limit: int = 20) -> list[Post]:
    """Published posts whose title contains ``term``."""
    stmt = select(Post).where(Post.published, Post.title.ilike(f"%{term}%")).limit(limit)
    return list(session.scalars(stmt))
