"""The BlogArticle model: a unique slug for URLs, an active flag and timestamps kept by Django."""

from django.db import models


class BlogArticle(models.Model):
    """One blog article, addressed in URLs by its unique ``slug``."""

    id = models.BigAutoField(primary_key=True)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        """Newest first; listings usually filter on the active flag."""

        ordering = ["-created_at"]
        verbose_name = "blog article"
        verbose_name_plural = "blog articles"
        indexes = [models.Index(fields=["is_active", "-created_at"])]

    def __str__(self) -> str:
        """The name, as shown in the admin and in shells."""
        return self.name
