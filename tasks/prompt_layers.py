"""The prompt-layer step of the admin flow: set or reset one layer, checked first, a new version either way."""

from __future__ import annotations

from pydantic import BaseModel, Field

from codegen.prompt_layers import reset_layer, set_layer
from contracts import PromptLayer, PromptScope
from settings import UsageError, load_settings
from storage import open_database
from tasks.defaults import forge_task


class LayerChangeOutcome(BaseModel):
    """What a set or reset did: the new version, nothing (the layer already said this), or why it was refused."""

    prompt: str
    scope: PromptScope
    target: str
    layer: PromptLayer | None = Field(default=None, description="The version stored; None when none was.")
    problem: str | None = Field(default=None, description="Why the change was refused (a bad layer, say).")


@forge_task("set-prompt-layer", "{scope} {target}: {prompt}")
async def change_prompt_layer(
    prompt: str, scope: PromptScope, target: str, text: str | None, author: str
) -> LayerChangeOutcome:
    """Store ``text`` as the layer's next version (``None``: reset it); a refused change is reported, not raised."""
    settings = load_settings()
    outcome = LayerChangeOutcome(prompt=prompt, scope=scope, target=target)
    try:
        db = open_database(settings.resolved_database_url)
        if text is None:
            outcome.layer = reset_layer(db, prompt, scope, target, author)
        else:
            outcome.layer = set_layer(db, prompt, scope, target, text, author)
    except UsageError as exc:
        outcome.problem = str(exc)
    return outcome
