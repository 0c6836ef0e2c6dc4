"""Who may do what through the API: anyone may read; a write needs what the admin
needs for it — an active staff account with the model's add or change permission."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


class AdminPermissions(BasePermission):
    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS or request.method.lower() not in view.http_method_names:
            return True  # a read, or a method the endpoint refuses to everyone (405)
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        action = ACTIONS.get(request.method)
        model = view.get_queryset().model
        return action is not None and user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")
