"""Template learning: parameterize good generations into slot templates, match and render them."""
