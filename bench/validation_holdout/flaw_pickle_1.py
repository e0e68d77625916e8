"""Django view that restores a saved shopping cart posted by the mobile app."""

import pickle

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST


@require_POST
def restore_cart(request: HttpRequest) -> JsonResponse:
    """Replace the session cart with the serialized cart in the request body."""
    cart = pickle.loads(request.body)
    if not isinstance(cart, dict):
        return JsonResponse({"error": "invalid cart"}, status=400)
    request.session["cart"] = cart
    total = sum(item["price"] * item["qty"] for item in cart.values())
    return JsonResponse({"items": len(cart), "total": total})
