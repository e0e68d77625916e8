"""Django views using the ORM and a parameterized raw query."""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404

from shop.models import Order


def order_detail(request: HttpRequest, order_id: int) -> JsonResponse:
    """One order of the current user."""
    order = get_object_or_404(Order, pk=order_id, customer=request.user)
    return JsonResponse({"id": order.pk, "status": order.status, "total": str(order.total)})


def top_products(request: HttpRequest) -> JsonResponse:
    """Best sellers in a category, via raw SQL with bound parameters."""
    category = request.GET.get("category", "")
    limit = min(int(request.GET.get("limit", "10")), 50)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, p.name, SUM(i.qty) AS sold FROM shop_product p "
            "JOIN shop_orderitem i ON i.product_id = p.id "
            "WHERE p.category = %s GROUP BY p.id, p.name ORDER BY sold DESC LIMIT %s",
            [category, limit],
        )
        rows = cursor.fetchall()
    return JsonResponse({"products": [{"id": r[0], "name": r[1], "sold": r[2]} for r in rows]})


def recent_orders(request: HttpRequest) -> JsonResponse:
    """The user's last five orders via ``Manager.raw`` with params."""
    orders = Order.objects.raw(
        "SELECT * FROM shop_order WHERE customer_id = %s ORDER BY created DESC LIMIT 5", [request.user.pk]
    )
    return JsonResponse({"orders": [o.pk for o in orders]})
