"""The answer parser: prose around blocks, several files, default names, unterminated blocks."""

import pytest

from codegen.parse import parse_files
from providers.base import InvalidOutput


def test_prose_around_blocks_and_several_files():
    text = (
        "Sure! Here is the code.\n\n```python\n# file: app/models.py\nclass Customer:\n    pass\n```\n"
        "Some words in between.\n```python\n# file: app/main.py\nfrom app.models import Customer\n```\nDone."
    )
    files = parse_files(text, ["python", "fastapi"])
    assert [f.path for f in files] == ["app/models.py", "app/main.py"]
    assert files[0].content == "class Customer:\n    pass\n"


def test_missing_path_gets_a_default_name_from_the_stack():
    files = parse_files("```\nx = 1\n```", ["python"])
    assert files[0].path == "main.py"
    files = parse_files("```ts\nconst x = 1;\n```\n```ts\nconst y = 2;\n```", ["typescript"])
    assert [f.path for f in files] == ["main.ts", "main_2.ts"]


def test_other_comment_styles_name_files():
    files = parse_files("```ts\n// file: src/a.ts\nexport const a = 1;\n```", ["typescript"])
    assert files[0].path == "src/a.ts"
    assert files[0].content == "export const a = 1;\n"


def test_longer_fences_keep_inner_fences():
    text = "````markdown\n# file: README.md\n```python\nx = 1\n```\n````"
    files = parse_files(text, ["python"])
    assert files[0].path == "README.md"
    assert "```python" in files[0].content


@pytest.mark.parametrize(
    "text",
    [
        "I cannot help with that.",
        "```python\n# file: a.py\nx = 1\n",  # cut before the closing fence
        "```python\n# file: a.py\n```",  # empty block
        "```python\n# file: ../../etc/passwd\nx\n```",
        "```python\n# file: /etc/passwd\nx\n```",
        "```python\n# file: a.py\nx\n```\n```python\n# file: a.py\ny\n```",
    ],
)
def test_unusable_answers_are_rejected(text):
    with pytest.raises(InvalidOutput):
        parse_files(text, ["python"])
